import { boxOpenPrecomputed, boxPrecomputedInto, MAC_LENGTH } from '@ots/crypto';

import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import { encodeContainerInto } from './container';
import { CSP_CONTAINER_HEADER_LENGTH, CSP_MAX_FRAME_BOX_LENGTH, CSP_MAX_PAYLOAD_LENGTH } from './limits';

// spec §1.2/§1.5: after the handshake every frame is u16-le length ‖ box; the box is XSalsa20-Poly1305 under the
// session key with nonce = cookie ‖ u64-le sequence number, one counter per direction.

/** The first sequence number of payload frames: 1 and 2 were used by the handshake in each direction. */
export const FIRST_PAYLOAD_SEQUENCE_NUMBER = 3n;

const COOKIE_LENGTH = 16;
const SCRATCH_CONTAINER = new Uint8Array(CSP_CONTAINER_HEADER_LENGTH + CSP_MAX_PAYLOAD_LENGTH);

/** spec §1.2: nonce = 16-byte cookie ‖ u64-le sequence number (handshake boxes use 1 and 2, frames 3 on). */
export function cspNonce(cookie: Uint8Array, sequenceNumber: bigint): Uint8Array {
  const nonce = new Uint8Array(24);
  nonce.set(cookie);
  new DataView(nonce.buffer).setBigUint64(16, sequenceNumber, true);
  return nonce;
}

export interface FrameCipherKeys {
  readonly sessionKey: Uint8Array;
  /** the cookie of what we send (the server's SCK on the server side) */
  readonly outgoingCookie: Uint8Array;
  /** the cookie of what we receive (the client's CCK on the server side) */
  readonly incomingCookie: Uint8Array;
}

const KEY_LENGTH = 32;
const NONCE_LENGTH = 24;
const OUTGOING_NONCE_AT = KEY_LENGTH;
const INCOMING_NONCE_AT = KEY_LENGTH + NONCE_LENGTH;

/**
 * Seals containers into frames and opens received frame boxes, for either side of a CSP connection. One counter
 * per direction; a counter never repeats (a nonce reuse would break the cipher). The session key and both
 * directions' nonces live in one buffer, each nonce rewritten per frame (it is used before the next is taken):
 * a connection holds one small allocation for its transport keys, not one per key and nonce.
 */
export class CspFrameCipher {
  private readonly state: Buffer;
  private readonly sessionKey: Buffer;
  private readonly outgoingNonce: Buffer;
  private readonly incomingNonce: Buffer;
  private nextOutgoing: bigint;
  private nextIncoming: bigint;

  constructor(keys: FrameCipherKeys, first: bigint = FIRST_PAYLOAD_SEQUENCE_NUMBER) {
    if (keys.outgoingCookie.length !== COOKIE_LENGTH || keys.incomingCookie.length !== COOKIE_LENGTH)
      throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'cookie must be 16 bytes');
    if (keys.sessionKey.length !== KEY_LENGTH)
      throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'session key must be 32 bytes');
    this.state = Buffer.alloc(KEY_LENGTH + 2 * NONCE_LENGTH);
    this.state.set(keys.sessionKey, 0);
    this.state.set(keys.outgoingCookie, OUTGOING_NONCE_AT);
    this.state.set(keys.incomingCookie, INCOMING_NONCE_AT);
    this.sessionKey = this.state.subarray(0, KEY_LENGTH);
    this.outgoingNonce = this.state.subarray(OUTGOING_NONCE_AT, OUTGOING_NONCE_AT + NONCE_LENGTH);
    this.incomingNonce = this.state.subarray(INCOMING_NONCE_AT, INCOMING_NONCE_AT + NONCE_LENGTH);
    this.nextOutgoing = first;
    this.nextIncoming = first;
  }

  /** The complete frame (length prefix included) for one container. */
  seal(container: Uint8Array): Uint8Array {
    const boxLength = container.length + MAC_LENGTH;
    if (boxLength > CSP_MAX_FRAME_BOX_LENGTH) {
      throw new ProtocolError(ProtocolErrorCode.TOO_LARGE, 'frame box exceeds 8192 bytes');
    }
    // the box is sealed straight into the frame; every byte is written (small frames share Node's buffer pool)
    const frame = Buffer.allocUnsafe(2 + boxLength);
    frame.writeUInt16LE(boxLength, 0);
    this.outgoingNonce.writeBigUInt64LE(this.nextOutgoing, COOKIE_LENGTH);
    this.nextOutgoing += 1n;
    boxPrecomputedInto(frame.subarray(2), container, this.outgoingNonce, this.sessionKey);
    return frame;
  }

  /**
   * The complete frame for a container of `type` and `data`, built in a scratch buffer shared by every cipher of
   * the process (sealing is synchronous) and wiped after: no container allocation per frame.
   */
  sealPayload(type: number, data: Uint8Array): Uint8Array {
    const container = encodeContainerInto(SCRATCH_CONTAINER, type, data);
    try {
      return this.seal(container);
    } finally {
      container.fill(0);
    }
  }

  /** The container inside a received frame box; a box that does not authenticate ends the connection. */
  open(box: Uint8Array): Uint8Array {
    if (box.length < MAC_LENGTH)
      throw new ProtocolError(ProtocolErrorCode.TRUNCATED, 'frame box shorter than its MAC');
    this.incomingNonce.writeBigUInt64LE(this.nextIncoming, COOKIE_LENGTH);
    this.nextIncoming += 1n;
    try {
      return boxOpenPrecomputed(box, this.incomingNonce, this.sessionKey);
    } catch {
      throw new ProtocolError(ProtocolErrorCode.MALFORMED, 'frame box does not authenticate');
    }
  }

  /** Overwrite the session key (the connection is over). */
  erase(): void {
    this.state.fill(0);
  }
}

/**
 * Splits a TCP byte stream into frame boxes (u16-le length ‖ box), refusing lengths above the 8192-byte limit
 * before buffering them, so a hostile length cannot make us hold more than one frame.
 */
const NOTHING = new Uint8Array(0);

export class FrameSplitter {
  private buffered: Uint8Array = NOTHING;

  push(chunk: Uint8Array): Uint8Array[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const boxes: Uint8Array[] = [];
    for (;;) {
      if (this.buffered.length < 2) break;
      const length = new DataView(this.buffered.buffer, this.buffered.byteOffset, 2).getUint16(0, true);
      if (length > CSP_MAX_FRAME_BOX_LENGTH) {
        throw new ProtocolError(ProtocolErrorCode.TOO_LARGE, `frame length ${String(length)} exceeds 8192`);
      }
      if (length < MAC_LENGTH)
        throw new ProtocolError(ProtocolErrorCode.TRUNCATED, 'frame shorter than its MAC');
      if (this.buffered.length < 2 + length) break;
      boxes.push(this.buffered.slice(2, 2 + length));
      // an empty view would still hold the whole chunk it was cut from, for as long as the connection idles
      this.buffered = this.buffered.length === 2 + length ? NOTHING : this.buffered.subarray(2 + length);
    }
    return boxes;
  }

  /** Bytes held for an incomplete frame (never more than one frame's worth). */
  get pendingBytes(): number {
    return this.buffered.length;
  }
}
