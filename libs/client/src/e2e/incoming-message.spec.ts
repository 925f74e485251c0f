import { deriveMessageMetadataKey, secretboxOpen, x25519HSalsa20 } from '@ots/crypto';

import { errorCodeOf } from '../../test/error-code';
import { fromHex, hex } from '../../test/hex';
import { incomingMessageVector as vector } from '../../test/spec-vectors';
import { E2eErrorCode } from './e2e-error';
import { E2eMessageType } from './e2e-message-type';
import { decodeIncomingStruct, decryptMessage } from './incoming-message';
import { encodeMessageMetadata } from './message-metadata';
import { encryptMessage } from './outgoing-message';
import { decodeTextBody, encodeTextBody } from './text-body';

const messageId = Buffer.from(vector.messageIdBytes, 'hex').readBigUInt64LE();
const receiverKeys = {
  receiverSecretKey: vector.receiverSecretKey,
  senderPublicKey: vector.senderPublicKey,
  receiverIdentity: vector.receiverIdentity,
};

describe('the public message vector of spec §11.1.1', () => {
  it('decodes the struct fields', () => {
    const struct = decodeIncomingStruct(vector.struct);
    expect(vector.struct).toHaveLength(393);
    expect(struct).toMatchObject({
      senderIdentity: vector.senderIdentity,
      receiverIdentity: vector.receiverIdentity,
      messageId,
      createdAt: vector.createdAt,
      flags: vector.flags,
    });
    expect(struct.metadataContainer).toHaveLength(vector.metadataLength);
    expect(hex(struct.nonce)).toBe(vector.nonce);
    expect(struct.messageBox).toHaveLength(vector.boxLength);
  });

  it('decrypts to the text "Hi" with the documented metadata', () => {
    const opened = decryptMessage(vector.struct, receiverKeys);
    expect(opened.type).toBe(E2eMessageType.TEXT);
    expect(decodeTextBody(opened.body)).toBe(vector.text);
    expect(opened.metadata).toEqual({
      nickname: vector.nickname,
      messageId,
      createdAtMs: vector.createdAtMs,
    });
    expect(opened.nickname).toBe(vector.nickname);
    expect(opened.createdAtMs).toBe(vector.createdAtMs);
    expect(hex(encodeMessageMetadata(opened.metadata!))).toBe(vector.metadataProtobuf);
  });

  it('uses MMK = BLAKE2b(X25519HSalsa20, "mm", "3ma-csp") and the documented padding', () => {
    const shared = x25519HSalsa20(vector.receiverSecretKey, vector.senderPublicKey);
    expect(hex(deriveMessageMetadataKey(shared))).toBe(vector.messageMetadataKey);
    const struct = decodeIncomingStruct(vector.struct);
    const container = secretboxOpen(struct.messageBox, struct.nonce, shared);
    // type byte ‖ "Hi" ‖ 234 bytes of 234
    expect(container).toHaveLength(1 + vector.paddedDataLength);
    expect(container.at(-1)).toBe(vector.paddedDataLength - 2);
  });

  it('is reproduced byte for byte by the outgoing encoder (the box key is symmetric)', () => {
    // X25519HSalsa20(sender.secret, receiver.public) = X25519HSalsa20(receiver.secret, sender.public): with the
    // receiver's secret and the sender's public key the encoder derives the sender's keys.
    const struct = encryptMessage({
      senderIdentity: vector.senderIdentity,
      senderSecretKey: vector.receiverSecretKey,
      receiverIdentity: vector.receiverIdentity,
      receiverPublicKey: vector.senderPublicKey,
      messageId,
      flags: vector.flags,
      type: E2eMessageType.TEXT,
      body: encodeTextBody(vector.text),
      createdAtMs: vector.createdAtMs,
      nickname: vector.nickname,
      nonce: fromHex(vector.nonce),
      padLength: vector.paddedDataLength - 2,
    });
    expect(hex(struct)).toBe(hex(vector.struct));
  });

  it('refuses the vector for another receiver, with other keys, or when tampered with', () => {
    expect(
      errorCodeOf(() => decryptMessage(vector.struct, { ...receiverKeys, receiverIdentity: 'ECHOECHO' })),
    ).toBe(E2eErrorCode.WRONG_RECEIVER);
    expect(
      errorCodeOf(() =>
        decryptMessage(vector.struct, { ...receiverKeys, senderPublicKey: vector.receiverPublicKey }),
      ),
    ).toBe(E2eErrorCode.DECRYPTION_FAILED);
    const tampered = Uint8Array.from(vector.struct);
    tampered[tampered.length - 1] ^= 0x01;
    expect(errorCodeOf(() => decryptMessage(tampered, receiverKeys))).toBe(E2eErrorCode.DECRYPTION_FAILED);
    const tamperedMetadata = Uint8Array.from(vector.struct);
    tamperedMetadata[70] ^= 0x01;
    expect(() => decryptMessage(tamperedMetadata, receiverKeys)).toThrow(
      'metadata box does not authenticate',
    );
    expect(errorCodeOf(() => decryptMessage(tamperedMetadata, receiverKeys))).toBe(
      E2eErrorCode.DECRYPTION_FAILED,
    );
  });

  it('refuses a struct whose outer message ID differs from the metadata’s', () => {
    const swapped = Uint8Array.from(vector.struct);
    swapped[16] ^= 0xff;
    expect(errorCodeOf(() => decryptMessage(swapped, receiverKeys))).toBe(E2eErrorCode.METADATA_MISMATCH);
  });

  it('reports a truncated struct as MALFORMED', () => {
    for (const length of [0, 31, 87, 100]) {
      expect(errorCodeOf(() => decryptMessage(vector.struct.subarray(0, length), receiverKeys))).toBe(
        E2eErrorCode.MALFORMED,
      );
    }
  });
});
