import {
  boxOpen,
  boxOpenPrecomputed,
  boxPrecomputed,
  computeVouch,
  constantTimeEqual,
  CryptoError,
  CryptoErrorCode,
  deriveVouchKey,
  generateX25519KeyPair,
  memzero,
  randomBytes,
  x25519HSalsa20,
  type X25519KeyPair,
} from '@ots/crypto';
import {
  COOKIE_LENGTH,
  CspFrameCipher,
  cspNonce,
  decodeClientHello,
  decodeLoginData,
  decodeLoginExtensions,
  encodeLoginAckData,
  encodeServerChallengeResponse,
  type LoginData,
  type LoginExtensions,
  ProtocolError,
  ProtocolErrorCode,
} from '@ots/protocol';

// spec §1.2–§1.3, the server's side of the handshake. One instance per connection: it holds the connection's
// fresh temporary key pair (TSK) and erases it on close (architecture: "a fresh temporary key per connection,
// erased on close").

export interface ServerPermanentKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export class ServerHandshake {
  private readonly temporary: X25519KeyPair = generateX25519KeyPair();
  readonly serverCookie: Uint8Array;
  private clientCookie: Uint8Array | undefined;
  private clientTemporaryPublicKey: Uint8Array | undefined;
  private sessionKey: Uint8Array | undefined;

  constructor(private readonly permanent: ServerPermanentKey) {
    this.serverCookie = randomBytes(COOKIE_LENGTH);
  }

  /** client-hello (48) → server-hello (80): SCK ‖ box(TSK.public ‖ CCK) under X25519HSalsa20(SK, TCK). */
  answerClientHello(clientHelloBytes: Uint8Array): Uint8Array {
    const hello = decodeClientHello(clientHelloBytes);
    // spec §1.2: SCK must differ from CCK (the client aborts otherwise); 2^-128 odds, but cheap to honour
    while (constantTimeEqual(this.serverCookie, hello.clientCookie))
      this.serverCookie.set(randomBytes(COOKIE_LENGTH));
    // a low-order TCK (e.g. all zeros) is hostile input: refuse it as a protocol error, not an internal one
    const helloKey = withClientKey(() => x25519HSalsa20(this.permanent.secretKey, hello.temporaryPublicKey));
    this.clientCookie = hello.clientCookie;
    this.clientTemporaryPublicKey = hello.temporaryPublicKey;
    const box = boxPrecomputed(
      encodeServerChallengeResponse(this.temporary.publicKey, hello.clientCookie),
      cspNonce(this.serverCookie, 1n),
      helloKey,
    );
    memzero(helloKey);
    this.sessionKey = x25519HSalsa20(this.temporary.secretKey, hello.temporaryPublicKey);
    return Buffer.concat([this.serverCookie, box]);
  }

  /** The login-data box (144 bytes, CSN 1). Its SCK echo must match ours. */
  openLoginData(box: Uint8Array): LoginData {
    const plaintext = this.open(box, 1, 'login-data');
    const loginData = decodeLoginData(plaintext);
    if (!constantTimeEqual(loginData.serverCookieEcho, this.serverCookie)) {
      throw new ProtocolError(
        ProtocolErrorCode.INVALID_FIELD,
        'login-data: server cookie echo does not match',
      );
    }
    return loginData;
  }

  /** The extensions box (CSN 2, spec §1.4). */
  openExtensions(box: Uint8Array): LoginExtensions {
    return decodeLoginExtensions(this.open(box, 2, 'extensions'));
  }

  /**
   * spec §1.3 v2 vouch, compared in constant time. `permanentSharedSecret` is SS1 = X25519HSalsa20(SK, CK), which
   * the caller may cache per identity; SS2 uses this connection's TSK.
   */
  verifyVouch(loginData: LoginData, clientPublicKey: Uint8Array, permanentSharedSecret: Uint8Array): boolean {
    if (loginData.vouch.kind !== 'v2') return false;
    const temporaryShared = x25519HSalsa20(this.temporary.secretKey, clientPublicKey);
    const vouchKey = deriveVouchKey(permanentSharedSecret, temporaryShared);
    const expected = computeVouch(vouchKey, this.serverCookie, this.requireClientTemporaryKey());
    memzero(temporaryShared);
    memzero(vouchKey);
    return constantTimeEqual(expected, loginData.vouch.vouch);
  }

  /** spec §1.3 legacy vouch: a 48-byte box of TCK.public from CK to SK under the nonce in reserved1. */
  verifyLegacyVouch(loginData: LoginData, clientPublicKey: Uint8Array): boolean {
    if (loginData.vouch.kind !== 'legacy') return false;
    try {
      const opened = boxOpen(
        loginData.vouch.box,
        loginData.vouch.nonce,
        clientPublicKey,
        this.permanent.secretKey,
      );
      return constantTimeEqual(opened, this.requireClientTemporaryKey());
    } catch {
      return false;
    }
  }

  /** login-ack (32 bytes, SSN 2): reserved ‖ server time ‖ queued count. */
  loginAck(serverTimeMs: bigint, queuedMessages: number): Uint8Array {
    return boxPrecomputed(
      encodeLoginAckData({ serverTimeMs, queuedMessages }),
      cspNonce(this.serverCookie, 2n),
      this.requireSessionKey(),
    );
  }

  /** The frame cipher for payloads after the handshake (both counters continue at 3). */
  frameCipher(): CspFrameCipher {
    return new CspFrameCipher({
      sessionKey: this.requireSessionKey(),
      outgoingCookie: this.serverCookie,
      incomingCookie: this.requireClientCookie(),
    });
  }

  /** Erase the temporary secret key (the session key lives on in the frame cipher until the connection ends). */
  eraseTemporaryKey(): void {
    memzero(this.temporary.secretKey);
  }

  private open(box: Uint8Array, sequenceNumber: number, what: string): Uint8Array {
    try {
      return boxOpenPrecomputed(
        box,
        cspNonce(this.requireClientCookie(), BigInt(sequenceNumber)),
        this.requireSessionKey(),
      );
    } catch {
      throw new ProtocolError(ProtocolErrorCode.MALFORMED, `${what} box does not authenticate`);
    }
  }

  private requireSessionKey(): Uint8Array {
    if (!this.sessionKey) throw new ProtocolError(ProtocolErrorCode.MALFORMED, 'handshake out of order');
    return this.sessionKey;
  }

  private requireClientCookie(): Uint8Array {
    if (!this.clientCookie) throw new ProtocolError(ProtocolErrorCode.MALFORMED, 'handshake out of order');
    return this.clientCookie;
  }

  private requireClientTemporaryKey(): Uint8Array {
    if (!this.clientTemporaryPublicKey)
      throw new ProtocolError(ProtocolErrorCode.MALFORMED, 'handshake out of order');
    return this.clientTemporaryPublicKey;
  }
}

/** X25519 with the client's temporary key: a weak (low-order) key is the client's fault, spec §1.3. */
function withClientKey<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof CryptoError && error.code === CryptoErrorCode.WEAK_PUBLIC_KEY) {
      throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'client-hello: temporary public key is weak');
    }
    throw error;
  }
}
