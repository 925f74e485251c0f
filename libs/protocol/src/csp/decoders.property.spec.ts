import fc from 'fast-check';

import { ProtocolError } from '../protocol-error';
import { decodeContainer, encodeContainer } from './container';
import { FrameSplitter } from './frame-cipher';
import { decodeClientHello, decodeLoginData } from './handshake';
import { decodeLoginExtensions, encodeLoginExtensions } from './login-extensions';
import {
  decodeLegacyMessage,
  decodeMessageWithMetadataBox,
  encodeLegacyMessage,
  encodeMessageWithMetadataBox,
} from './message-struct';
import { decodeDeletePushTokens, decodeIdleTimeout, decodeMessageAck } from './payloads';
import { decodePushToken } from './push-token';

// Property-based tests of every decoder that sees client bytes: on any input a decoder either returns a value or
// throws a ProtocolError (which the server turns into a close-error) — never another exception, never a hang.

const RUNS = { numRuns: 2_000 };
const anyBytes = fc.uint8Array({ minLength: 0, maxLength: 9_000 });

function decodesOrRefuses(decode: (bytes: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(anyBytes, (bytes) => {
      try {
        decode(bytes);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
      }
    }),
    RUNS,
  );
}

const identity = fc.stringMatching(/^[0-9A-Z]{8}$/);
const bytesOf = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

const metadataMessage = fc.record({
  senderIdentity: identity,
  receiverIdentity: identity,
  messageId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  createdAt: fc.integer({ min: 0, max: 0xffff_ffff }),
  flags: fc.integer({ min: 0, max: 0xff }),
  legacySenderNickname: bytesOf(32),
  metadataContainer: fc.oneof(
    fc.constant(new Uint8Array(0)),
    fc.uint8Array({ minLength: 17, maxLength: 200 }),
  ),
  nonce: bytesOf(24),
  messageBox: fc.uint8Array({ minLength: 17, maxLength: 2_000 }),
});

describe('CSP decoders on arbitrary input (property-based)', () => {
  it.each([
    ['message-with-metadata-box', decodeMessageWithMetadataBox],
    ['legacy-message', decodeLegacyMessage],
    ['login extensions', decodeLoginExtensions],
    ['container', decodeContainer],
    ['client-hello', decodeClientHello],
    ['login-data', decodeLoginData],
    ['message-ack', decodeMessageAck],
    ['idle timeout', decodeIdleTimeout],
    ['delete push tokens', decodeDeletePushTokens],
    ['push token', decodePushToken],
  ] as const)('%s: returns a value or throws ProtocolError', (_name, decode) => {
    decodesOrRefuses(decode);
  });

  it('the frame splitter never holds more than one frame and never throws anything but ProtocolError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 3_000 }), { maxLength: 20 }), (chunks) => {
        const splitter = new FrameSplitter();
        try {
          for (const chunk of chunks) {
            for (const box of splitter.push(chunk)) expect(box.length).toBeLessThanOrEqual(8192);
            expect(splitter.pendingBytes).toBeLessThanOrEqual(2 + 8192 + 3_000);
          }
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
        }
      }),
      RUNS,
    );
  });

  it('splits a byte stream cut at arbitrary points into exactly the frames that were sent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 16, maxLength: 500 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }),
        (boxes, cuts) => {
          const stream = Buffer.concat(
            boxes.map((box) => {
              const frame = Buffer.alloc(2 + box.length);
              frame.writeUInt16LE(box.length, 0);
              frame.set(box, 2);
              return frame;
            }),
          );
          const splitter = new FrameSplitter();
          const received: Uint8Array[] = [];
          let offset = 0;
          for (const cut of [...cuts, stream.length]) {
            received.push(...splitter.push(stream.subarray(offset, Math.min(stream.length, offset + cut))));
            offset = Math.min(stream.length, offset + cut);
          }
          expect(received.map((b) => Buffer.from(b).toString('hex'))).toEqual(
            boxes.map((b) => Buffer.from(b).toString('hex')),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips any valid message struct in both versions', () => {
    fc.assert(
      fc.property(metadataMessage, (message) => {
        const decoded = decodeMessageWithMetadataBox(encodeMessageWithMetadataBox(message));
        expect(decoded.messageId).toBe(message.messageId);
        expect(Buffer.from(decoded.messageBox).equals(Buffer.from(message.messageBox))).toBe(true);
        const legacy = {
          senderIdentity: message.senderIdentity,
          receiverIdentity: message.receiverIdentity,
          messageId: message.messageId,
          createdAt: message.createdAt,
          flags: message.flags,
          senderNickname: message.legacySenderNickname,
          nonce: message.nonce,
          messageBox: message.messageBox,
        };
        const legacyDecoded = decodeLegacyMessage(encodeLegacyMessage(legacy));
        expect(legacyDecoded.createdAt).toBe(message.createdAt);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips login extensions and containers', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            clientInfo: fc.string({ maxLength: 100 }),
            cspDeviceId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
            supportedFeatures: fc.integer({ min: 0, max: 255 }),
            deviceCookie: bytesOf(16),
          },
          { requiredKeys: [] },
        ),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 1_000 }),
        (extensions, type, data) => {
          const decoded = decodeLoginExtensions(encodeLoginExtensions(extensions));
          expect(decoded.cspDeviceId).toBe(extensions.cspDeviceId);
          expect(decoded.clientInfo).toBe(extensions.clientInfo);
          const container = decodeContainer(encodeContainer(type, data));
          expect(container.type).toBe(type);
          expect(Buffer.from(container.data).equals(Buffer.from(data))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
