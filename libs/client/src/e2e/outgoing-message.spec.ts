import { generateX25519KeyPair } from '@ots/crypto';
import { decodeLegacyMessage, decodeMessageWithMetadataBox, MessageFlag } from '@ots/protocol';

import { errorCodeOf } from '../../test/error-code';
import { decodeDeliveryReceiptBody } from './delivery-receipt-body';
import { E2eErrorCode } from './e2e-error';
import { DeliveryReceiptStatus, E2eMessageType } from './e2e-message-type';
import { decryptMessage } from './incoming-message';
import { derivePairKeys } from './message-keys';
import { encryptMessage, randomMessageId } from './outgoing-message';
import { decodeTextBody, encodeTextBody } from './text-body';
import { encryptDeliveryReceipt, encryptTextMessage } from './typed-messages';

const alice = { identity: 'ALICE001', ...generateX25519KeyPair() };
const bob = { identity: 'BOB00002', ...generateX25519KeyPair() };
const fromAliceToBob = {
  senderIdentity: alice.identity,
  senderSecretKey: alice.secretKey,
  receiverIdentity: bob.identity,
  receiverPublicKey: bob.publicKey,
};
const bobOpens = {
  receiverSecretKey: bob.secretKey,
  senderPublicKey: alice.publicKey,
  receiverIdentity: bob.identity,
};

describe('outgoing end-to-end messages (spec §2.1, §2.4, §3)', () => {
  it('round-trips a text message with metadata from sender to receiver', () => {
    const messageId = randomMessageId();
    const struct = encryptTextMessage(
      {
        ...fromAliceToBob,
        messageId,
        flags: MessageFlag.SEND_PUSH_NOTIFICATION,
        createdAtMs: 1_800_000_000_123,
        nickname: 'Alice',
      },
      'Grüezi 👋',
    );
    const opened = decryptMessage(struct, bobOpens);
    expect(opened).toMatchObject({
      senderIdentity: alice.identity,
      receiverIdentity: bob.identity,
      messageId,
      flags: 0x01,
      createdAt: 1_800_000_000,
      createdAtMs: 1_800_000_000_123,
      type: E2eMessageType.TEXT,
      nickname: 'Alice',
    });
    expect(decodeTextBody(opened.body)).toBe('Grüezi 👋');
    // the nickname travels only inside the metadata box for ordinary receivers
    expect(decodeMessageWithMetadataBox(struct).legacySenderNickname.every((byte) => byte === 0)).toBe(true);
  });

  it('pads short bodies to at least 32 bytes, so "a" and "abc" give boxes of equal minimum size', () => {
    const envelope = { ...fromAliceToBob, messageId: 1n, flags: 0, padLength: 1 };
    const short = decodeMessageWithMetadataBox(encryptTextMessage(envelope, 'a'));
    const longer = decodeMessageWithMetadataBox(encryptTextMessage(envelope, 'abc'));
    // type byte + 32 padded bytes + 16-byte MAC
    expect(short.messageBox).toHaveLength(49);
    expect(longer.messageBox).toHaveLength(49);
  });

  it('round-trips a delivery receipt', () => {
    const ids = [randomMessageId(), 7n];
    const struct = encryptDeliveryReceipt(
      { ...fromAliceToBob, messageId: randomMessageId(), flags: 0 },
      { status: DeliveryReceiptStatus.READ, messageIds: ids },
    );
    const opened = decryptMessage(struct, bobOpens);
    expect(opened.type).toBe(E2eMessageType.DELIVERY_RECEIPT);
    expect(decodeDeliveryReceiptBody(opened.body)).toEqual({ status: 0x02, messageIds: ids });
  });

  it('builds a legacy struct (spec §2.2) with the nickname in clear, and opens it', () => {
    const struct = encryptMessage({
      ...fromAliceToBob,
      messageId: 42n,
      flags: 0,
      type: E2eMessageType.TEXT,
      body: encodeTextBody('old style'),
      createdAtMs: 1_700_000_000_999,
      nickname: 'Alice',
      structVersion: 'legacy',
    });
    expect(decodeLegacyMessage(struct).messageId).toBe(42n);
    const opened = decryptMessage(struct, bobOpens);
    expect(opened.metadata).toBeUndefined();
    expect(opened.nickname).toBe('Alice');
    expect(opened.createdAtMs).toBe(1_700_000_000_000);
    expect(decodeTextBody(opened.body)).toBe('old style');
  });

  it('writes the nickname in clear for a `*` receiver, cut at a character boundary', () => {
    const gateway = { identity: '*MY3DATA', ...generateX25519KeyPair() };
    const nickname = 'ü'.repeat(20); // 40 bytes of UTF-8
    const struct = encryptTextMessage(
      {
        senderIdentity: alice.identity,
        senderSecretKey: alice.secretKey,
        receiverIdentity: gateway.identity,
        receiverPublicKey: gateway.publicKey,
        messageId: 3n,
        flags: 0,
        nickname,
      },
      'info',
    );
    const field = decodeMessageWithMetadataBox(struct).legacySenderNickname;
    expect(Buffer.from(field).toString('utf8').replace(/\0+$/, '')).toBe('ü'.repeat(16));
    const opened = decryptMessage(struct, {
      receiverSecretKey: gateway.secretKey,
      senderPublicKey: alice.publicKey,
    });
    expect(opened.nickname).toBe(nickname);
  });

  it('gives different nonces and boxes for the same message', () => {
    const envelope = { ...fromAliceToBob, messageId: 5n, flags: 0 };
    const first = decodeMessageWithMetadataBox(encryptTextMessage(envelope, 'same'));
    const second = decodeMessageWithMetadataBox(encryptTextMessage(envelope, 'same'));
    expect(Buffer.from(first.nonce).equals(Buffer.from(second.nonce))).toBe(false);
  });

  it('refuses invalid input with INVALID_INPUT', () => {
    const base = { ...fromAliceToBob, messageId: 1n, flags: 0 };
    for (const envelope of [
      { ...base, receiverIdentity: 'bob' },
      { ...base, messageId: -1n },
      { ...base, flags: 0x100 },
      { ...base, createdAtMs: -5 },
      { ...base, nonce: new Uint8Array(23) },
      { ...base, receiverPublicKey: new Uint8Array(32) },
    ]) {
      expect(errorCodeOf(() => encryptTextMessage(envelope, 'x'))).toBe(E2eErrorCode.INVALID_INPUT);
    }
    expect(errorCodeOf(() => encryptTextMessage(base, 'x'.repeat(9000)))).toBe(E2eErrorCode.INVALID_INPUT);
  });

  it('gives the same struct with precomputed pair keys, and opens it with the receiver’s precomputed keys', () => {
    const fixed = {
      ...fromAliceToBob,
      messageId: 11n,
      flags: 0,
      createdAtMs: 1_800_000_000_000,
      nonce: new Uint8Array(24).fill(3),
      padLength: 5,
    };
    const plain = encryptTextMessage(fixed, 'cached');
    const cached = encryptTextMessage(
      { ...fixed, pairKeys: derivePairKeys(alice.secretKey, bob.publicKey) },
      'cached',
    );
    expect(Buffer.from(cached).equals(Buffer.from(plain))).toBe(true);
    const opened = decryptMessage(cached, {
      ...bobOpens,
      pairKeys: derivePairKeys(bob.secretKey, alice.publicKey),
    });
    expect(decodeTextBody(opened.body)).toBe('cached');
  });

  it('does not open a message with the wrong sender key', () => {
    const struct = encryptTextMessage({ ...fromAliceToBob, messageId: 9n, flags: 0 }, 'secret');
    expect(errorCodeOf(() => decryptMessage(struct, { ...bobOpens, senderPublicKey: bob.publicKey }))).toBe(
      E2eErrorCode.DECRYPTION_FAILED,
    );
  });
});
