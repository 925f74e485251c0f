import { concat, cspNonce, fromHex, hex } from '../../test/hex';
import { handshake } from '../../test/spec-vectors';
import { constantTimeEqual } from '../constant-time';
import { secretbox, secretboxOpen } from '../secretbox';
import { x25519HSalsa20 } from '../x25519';
import { computeVouch, deriveVouchKey } from './vouch';

// Reproduces the self-generated CSP handshake of spec §11.2 with the crypto primitives alone
// (the frame and struct codecs live in @ots/protocol).

const tckPublic = fromHex(handshake.clientTemporaryPublicKey);
const tskPublic = fromHex(handshake.serverTemporaryPublicKey);
const skPublic = fromHex(handshake.serverPublicKey);
const sessionKeyClientSide = x25519HSalsa20(handshake.clientTemporarySecretKey, tskPublic);
const sessionKeyServerSide = x25519HSalsa20(handshake.serverTemporarySecretKey, tckPublic);
const EXTENSION_MAGIC = 'threema-clever-extension-field';

function u16le(value: number): Uint8Array {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value);
  return out;
}

describe('CSP handshake vectors (spec §1.3, §11.2)', () => {
  it('builds the 80-byte server-hello: SCK ‖ box(TSK.public ‖ CCK) under X25519HSalsa20(SK, TCK), SSN 1', () => {
    const key = x25519HSalsa20(handshake.serverSecretKey, tckPublic);
    const boxed = secretbox(
      concat(tskPublic, handshake.clientCookie),
      cspNonce(handshake.serverCookie, 1),
      key,
    );
    const serverHello = concat(handshake.serverCookie, boxed);
    expect(serverHello).toHaveLength(80);
    expect(hex(serverHello)).toBe(hex(handshake.serverCookie) + handshake.serverHelloBox);
  });

  it('lets the client open the server-hello with TCK.secret and the pinned SK.public', () => {
    const key = x25519HSalsa20(handshake.clientTemporarySecretKey, skPublic);
    const opened = secretboxOpen(fromHex(handshake.serverHelloBox), cspNonce(handshake.serverCookie, 1), key);
    expect(hex(opened.subarray(0, 32))).toBe(handshake.serverTemporaryPublicKey);
    expect(hex(opened.subarray(32))).toBe(hex(handshake.clientCookie));
  });

  it('derives the session key X25519HSalsa20(TCK, TSK) identically on both sides', () => {
    expect(hex(sessionKeyClientSide)).toBe(handshake.sessionKey);
    expect(hex(sessionKeyServerSide)).toBe(handshake.sessionKey);
  });

  it('decrypts the 196-byte login: login-data box (CSN 1) with the documented fields', () => {
    expect(handshake.login).toHaveLength(196);
    const loginData = secretboxOpen(
      handshake.login.subarray(0, 144),
      cspNonce(handshake.clientCookie, 1),
      sessionKeyServerSide,
    );
    expect(loginData).toHaveLength(128);
    const data = Buffer.from(loginData);
    expect(data.subarray(0, 8).toString('ascii')).toBe(handshake.clientIdentity);
    expect(data.subarray(8, 38).toString('ascii')).toBe(EXTENSION_MAGIC);
    // indicator length = encrypted extensions box length = plaintext + 16 (spec §1.3)
    expect(data.readUInt16LE(38)).toBe(52);
    expect(hex(data.subarray(40, 56))).toBe(hex(handshake.serverCookie));
    expect(data.subarray(56, 80).every((byte) => byte === 0)).toBe(true);
    expect(data.subarray(112, 128).every((byte) => byte === 0)).toBe(true);

    // the server verifies the vouch from SK.secret, TSK.secret and CK.public (spec §1.3)
    const vouchKey = deriveVouchKey(
      x25519HSalsa20(handshake.serverSecretKey, handshake.clientPublicKey),
      x25519HSalsa20(handshake.serverTemporarySecretKey, handshake.clientPublicKey),
    );
    const expectedVouch = computeVouch(vouchKey, handshake.serverCookie, tckPublic);
    expect(hex(data.subarray(80, 112))).toBe(handshake.vouch);
    expect(constantTimeEqual(data.subarray(80, 112), expectedVouch)).toBe(true);
  });

  it('decrypts the login extensions box (CSN 2) to client-info and the 0x02 feature mask (spec §1.4)', () => {
    const extensions = secretboxOpen(
      handshake.login.subarray(144),
      cspNonce(handshake.clientCookie, 2),
      sessionKeyServerSide,
    );
    expect(hex(extensions)).toBe(handshake.extensionsPlaintext);
    const tlv = Buffer.from(extensions);
    expect(tlv[0]).toBe(0x00);
    const clientInfoLength = tlv.readUInt16LE(1);
    expect(tlv.subarray(3, 3 + clientInfoLength).toString('utf8')).toBe('1.0;Q;en/US;node;20;linux;x64');
    const next = 3 + clientInfoLength;
    expect([tlv[next], tlv.readUInt16LE(next + 1), tlv[next + 3]]).toEqual([0x02, 1, 0x03]);
    expect(tlv).toHaveLength(next + 4);
  });

  it('reproduces the login-ack for reserved ‖ u64le(1700000000000) ‖ u32le(2), SSN 2', () => {
    const plaintext = Buffer.alloc(16);
    plaintext.writeBigUInt64LE(1_700_000_000_000n, 4);
    plaintext.writeUInt32LE(2, 12);
    const loginAck = secretbox(plaintext, cspNonce(handshake.serverCookie, 2), sessionKeyServerSide);
    expect(loginAck).toHaveLength(32);
    expect(hex(loginAck)).toBe(handshake.loginAck);
  });

  it('reproduces the echo-request frame (CSN 3) and echo-response frame (SSN 3) of spec §1.5', () => {
    const data = fromHex('0102030405060708');
    const requestBox = secretbox(
      concat(Uint8Array.of(0x00, 0, 0, 0), data),
      cspNonce(handshake.clientCookie, 3),
      sessionKeyClientSide,
    );
    expect(hex(concat(u16le(requestBox.length), requestBox))).toBe(handshake.clientEchoRequestFrame);

    const responseBox = secretbox(
      concat(Uint8Array.of(0x80, 0, 0, 0), data),
      cspNonce(handshake.serverCookie, 3),
      sessionKeyServerSide,
    );
    expect(hex(concat(u16le(responseBox.length), responseBox))).toBe(handshake.serverEchoResponseFrame);

    const opened = secretboxOpen(
      fromHex(handshake.clientEchoRequestFrame).subarray(2),
      cspNonce(handshake.clientCookie, 3),
      sessionKeyServerSide,
    );
    expect(hex(opened)).toBe('00000000' + '0102030405060708');
  });
});
