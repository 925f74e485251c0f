import { MAC_LENGTH } from '@ots/crypto';
import {
  CSP_MAX_FRAME_BOX_LENGTH,
  CspFrameCipher,
  decodeContainer,
  encodeContainer,
  FrameSplitter,
  PayloadType,
  ProtocolError,
} from '@ots/protocol';

import { decodeOrRefuse, type FuzzTarget, hex, PropertyViolation, requireEqual, select } from './target';

// spec §1.1/§1.5: the length-prefixed frame stream (FrameSplitter, as the mailbox's CspConnection uses it, fed in
// arbitrary TCP chunks), the frame cipher (seal → open round trip and hostile boxes) and the container codec.

const isProtocolError = (error: unknown): boolean => error instanceof ProtocolError;

const KEYS = {
  sessionKey: hex('7eb1ed09d0591d454fb63f13cdd879c84cf0b977c1b7a74f8af3ae0623d90834'),
  clientCookie: new Uint8Array(16).fill(0x11),
  serverCookie: new Uint8Array(16).fill(0x22),
};

/**
 * body = chunk-size seed (1) ‖ stream. The stream is pushed in chunks of varying size; after every push the
 * splitter holds less than one maximal frame, and frames + held bytes are exactly the bytes pushed.
 */
function splitStream(body: Uint8Array): void {
  if (body.length === 0) return;
  let seed = body[0] | 1;
  const stream = body.subarray(1);
  const splitter = new FrameSplitter();
  const rebuilt: number[] = [];
  let offset = 0;
  while (offset < stream.length) {
    seed = (seed * 33 + 7) & 0xff;
    const end = Math.min(stream.length, offset + 1 + (seed % 97) * (seed & 0x80 ? 97 : 1));
    const boxes = decodeOrRefuse(() => splitter.push(stream.slice(offset, end)), isProtocolError);
    if (!boxes) return;
    for (const box of boxes) {
      if (box.length < MAC_LENGTH || box.length > CSP_MAX_FRAME_BOX_LENGTH)
        throw new PropertyViolation(`splitter returned a ${String(box.length)}-byte box`);
      rebuilt.push(box.length & 0xff, box.length >> 8, ...box);
    }
    if (splitter.pendingBytes >= 2 + CSP_MAX_FRAME_BOX_LENGTH)
      throw new PropertyViolation(`splitter holds ${String(splitter.pendingBytes)} bytes`);
    offset = end;
  }
  requireEqual(rebuilt.length + splitter.pendingBytes, stream.length, 'frame stream length');
  requireEqual(rebuilt, Array.from(stream.subarray(0, rebuilt.length)), 'frame stream');
}

/** A container sealed by one side opens at the other, and decodes to what was encoded. */
function sealOpen(body: Uint8Array): void {
  const type = body.length > 0 ? body[0] : 0;
  const data = body.subarray(1);
  const container = decodeOrRefuse(() => encodeContainer(type, data), isProtocolError);
  if (!container) return;
  const client = new CspFrameCipher({
    sessionKey: KEYS.sessionKey,
    outgoingCookie: KEYS.clientCookie,
    incomingCookie: KEYS.serverCookie,
  });
  const server = new CspFrameCipher({
    sessionKey: KEYS.sessionKey,
    outgoingCookie: KEYS.serverCookie,
    incomingCookie: KEYS.clientCookie,
  });
  const frame = decodeOrRefuse(() => client.seal(container), isProtocolError);
  if (!frame) return;
  const boxes = new FrameSplitter().push(frame);
  if (boxes.length !== 1) throw new PropertyViolation('a sealed frame did not split into one box');
  const decoded = decodeContainer(server.open(boxes[0]));
  requireEqual(decoded, { type, data }, 'container');
}

/** A hostile frame box at the server (the seed is the real §11.2 client frame, which authenticates). */
function openHostile(body: Uint8Array): void {
  const server = new CspFrameCipher({
    sessionKey: KEYS.sessionKey,
    outgoingCookie: KEYS.serverCookie,
    incomingCookie: KEYS.clientCookie,
  });
  const opened = decodeOrRefuse(() => server.open(body), isProtocolError);
  if (opened) decodeOrRefuse(() => decodeContainer(opened), isProtocolError);
}

function container(body: Uint8Array): void {
  const decoded = decodeOrRefuse(() => decodeContainer(body), isProtocolError);
  if (!decoded) return;
  const encoded = encodeContainer(decoded.type, decoded.data);
  // the 3 reserved bytes are ignored on receipt and written as zero
  requireEqual([encoded[0], ...encoded.subarray(4)], [body[0], ...body.subarray(4)], 'container');
}

const SUB_TARGETS = [splitStream, sealOpen, openHostile, container];

function frameOf(box: Uint8Array): Uint8Array {
  const frame = new Uint8Array(2 + box.length);
  new DataView(frame.buffer).setUint16(0, box.length, true);
  frame.set(box, 2);
  return frame;
}

export const frameTarget: FuzzTarget = {
  name: 'frame',
  coverage: ['libs/protocol/src/csp/frame-cipher.ts', 'libs/protocol/src/csp/container.ts'],
  dictionary: [
    Uint8Array.of(0x00, 0x20),
    Uint8Array.of(0x01, 0x20),
    Uint8Array.of(0xff, 0x1f),
    Uint8Array.of(0x10, 0x00),
    Uint8Array.of(0x0f, 0x00),
    Uint8Array.of(PayloadType.echoRequest, 0, 0, 0),
    Uint8Array.of(PayloadType.outgoingMessage, 0, 0, 0),
  ],
  maxInputLength: 3 * (2 + CSP_MAX_FRAME_BOX_LENGTH),
  run(input) {
    const { which, body } = select(input, SUB_TARGETS.length);
    SUB_TARGETS[which](body);
  },
  seeds() {
    // spec §11.2: the first client frame (echo-request, CSN 3) and the server's echo-response
    const clientFrame = hex('1c00170d47641460d401136fd70ef362e4322adcd68129fb8c34d534d435');
    const serverFrame = hex('1c00bb33597d3893023144e724ec6c66dcb05e07250ccf1b8e440c5ded7e');
    const echo = encodeContainer(PayloadType.echoRequest, hex('0102030405060708'));
    return [
      { name: 'stream-two-frames', bytes: Buffer.concat([Uint8Array.of(0, 0x05), clientFrame, serverFrame]) },
      {
        name: 'stream-max-frame',
        bytes: Buffer.concat([Uint8Array.of(0, 0xff), frameOf(new Uint8Array(CSP_MAX_FRAME_BOX_LENGTH))]),
      },
      {
        name: 'seal-echo',
        bytes: Buffer.concat([Uint8Array.of(1), Uint8Array.of(echo[0]), echo.subarray(4)]),
      },
      { name: 'open-client-frame', bytes: Buffer.concat([Uint8Array.of(2), clientFrame.subarray(2)]) },
      { name: 'container-echo', bytes: Buffer.concat([Uint8Array.of(3), echo]) },
    ].map(({ name, bytes }) => ({ name, bytes: new Uint8Array(bytes) }));
  },
};
