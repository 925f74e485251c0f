import { x25519HSalsa20, x25519PublicKeyFromSecret } from '@ots/crypto';

import { protocolErrorCodeOf } from '../../test/error-code';
import { fromHex, hex } from '../../test/hex';
import { ProtocolErrorCode } from '../protocol-error';
import { decodeContainer, encodeContainer } from './container';
import { CspFrameCipher, FrameSplitter } from './frame-cipher';
import { PayloadType } from './payload-types';

// spec §11.2: session key X25519HSalsa20(TCK, TSK), CCK = 16×0x11, SCK = 16×0x22, first payload frames at 3
const sessionKey = x25519HSalsa20(
  new Uint8Array(32).fill(0x03),
  x25519PublicKeyFromSecret(new Uint8Array(32).fill(0x02)),
);
const CCK = new Uint8Array(16).fill(0x11);
const SCK = new Uint8Array(16).fill(0x22);
const CLIENT_ECHO_FRAME = '1c00170d47641460d401136fd70ef362e4322adcd68129fb8c34d534d435';
const SERVER_ECHO_FRAME = '1c00bb33597d3893023144e724ec6c66dcb05e07250ccf1b8e440c5ded7e';
const ECHO_DATA = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

const server = () => new CspFrameCipher({ sessionKey, outgoingCookie: SCK, incomingCookie: CCK });
const client = () => new CspFrameCipher({ sessionKey, outgoingCookie: CCK, incomingCookie: SCK });

describe('CSP frames (spec §1.5, vectors §11.2)', () => {
  it('reproduces the transcript: client echo-request in, server echo-response out', () => {
    const cipher = server();
    const [box] = new FrameSplitter().push(fromHex(CLIENT_ECHO_FRAME));
    const request = decodeContainer(cipher.open(box));
    expect(request.type).toBe(PayloadType.echoRequest);
    expect(hex(request.data)).toBe(hex(ECHO_DATA));
    expect(hex(cipher.seal(encodeContainer(PayloadType.echoResponse, request.data)))).toBe(SERVER_ECHO_FRAME);
  });

  it('seals what a client would send, byte for byte', () => {
    expect(hex(client().seal(encodeContainer(PayloadType.echoRequest, ECHO_DATA)))).toBe(CLIENT_ECHO_FRAME);
  });

  it('seals a payload through the shared scratch buffer exactly as sealing its container', () => {
    const cipher = client();
    expect(hex(cipher.sealPayload(PayloadType.echoRequest, ECHO_DATA))).toBe(CLIENT_ECHO_FRAME);
    // a long payload after a short one, and a short one after it: nothing of an earlier frame leaks into a later
    const long = new Uint8Array(5_000).fill(0xab);
    const [a, b] = [client(), client()];
    for (const data of [long, ECHO_DATA, new Uint8Array(0)]) {
      expect(hex(a.sealPayload(PayloadType.outgoingMessage, data))).toBe(
        hex(b.seal(encodeContainer(PayloadType.outgoingMessage, data))),
      );
    }
    expect(protocolErrorCodeOf(() => a.sealPayload(0x100, ECHO_DATA))).toBe(ProtocolErrorCode.INVALID_FIELD);
    expect(protocolErrorCodeOf(() => a.sealPayload(1, new Uint8Array(8173)))).toBe(
      ProtocolErrorCode.TOO_LARGE,
    );
  });

  it('uses each sequence number once: a replayed frame does not open', () => {
    const cipher = server();
    const box = fromHex(CLIENT_ECHO_FRAME).subarray(2);
    cipher.open(box);
    expect(protocolErrorCodeOf(() => cipher.open(box))).toBe(ProtocolErrorCode.MALFORMED);
  });

  it("keeps no reference to the caller's key and cookies, and erases its key when asked", () => {
    const key = new Uint8Array(sessionKey);
    const cookie = new Uint8Array(CCK);
    const cipher = new CspFrameCipher({ sessionKey: key, outgoingCookie: cookie, incomingCookie: SCK });
    key.fill(0); // the caller erasing its copy does not change the cipher's
    cookie.fill(0);
    expect(hex(cipher.seal(encodeContainer(PayloadType.echoRequest, ECHO_DATA)))).toBe(CLIENT_ECHO_FRAME);

    const erased = server();
    erased.erase();
    const box = fromHex(CLIENT_ECHO_FRAME).subarray(2);
    expect(protocolErrorCodeOf(() => erased.open(box))).toBe(ProtocolErrorCode.MALFORMED);
  });

  it('refuses a session key that is not 32 bytes', () => {
    expect(
      protocolErrorCodeOf(
        () =>
          new CspFrameCipher({ sessionKey: new Uint8Array(31), outgoingCookie: SCK, incomingCookie: CCK }),
      ),
    ).toBe(ProtocolErrorCode.INVALID_FIELD);
  });

  it('refuses a tampered box', () => {
    const box = fromHex(CLIENT_ECHO_FRAME).subarray(2);
    box[5] ^= 1;
    expect(protocolErrorCodeOf(() => server().open(box))).toBe(ProtocolErrorCode.MALFORMED);
  });
});

describe('FrameSplitter', () => {
  it('reassembles frames split at any byte and several frames in one chunk', () => {
    const two = Buffer.concat([fromHex(CLIENT_ECHO_FRAME), fromHex(CLIENT_ECHO_FRAME)]);
    for (let cut = 0; cut <= two.length; cut++) {
      const splitter = new FrameSplitter();
      const boxes = [...splitter.push(two.subarray(0, cut)), ...splitter.push(two.subarray(cut))];
      expect(boxes.map(hex)).toEqual([CLIENT_ECHO_FRAME.slice(4), CLIENT_ECHO_FRAME.slice(4)]);
      expect(splitter.pendingBytes).toBe(0);
    }
  });

  it('refuses a length above 8192 before buffering it, and one shorter than a MAC', () => {
    expect(protocolErrorCodeOf(() => new FrameSplitter().push(Uint8Array.of(0x01, 0x20)))).toBe(
      ProtocolErrorCode.TOO_LARGE,
    );
    expect(protocolErrorCodeOf(() => new FrameSplitter().push(Uint8Array.of(0x0f, 0x00)))).toBe(
      ProtocolErrorCode.TRUNCATED,
    );
  });
});
