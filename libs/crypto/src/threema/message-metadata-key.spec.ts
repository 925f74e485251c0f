import { hex } from '../../test/hex';
import { protobufFields } from '../../test/protobuf-fields';
import { incomingMessage } from '../../test/spec-vectors';
import { boxOpen } from '../box';
import { secretboxOpen } from '../secretbox';
import { x25519HSalsa20 } from '../x25519';
import { deriveMessageMetadataKey } from './message-metadata-key';

// Offsets of spec §2.1 message-with-metadata-box; the struct codec itself lives in @ots/protocol.
const struct = incomingMessage.struct;
const metadataLength = Buffer.from(struct).readUInt16LE(30);
const metadataBox = struct.subarray(64, 64 + metadataLength);
const nonce = struct.subarray(64 + metadataLength, 88 + metadataLength);
const messageBox = struct.subarray(88 + metadataLength);

describe('incoming message of spec §11.1.1', () => {
  it('has the documented layout: 393 bytes, 52-byte metadata, nonce and a 253-byte box', () => {
    expect(struct).toHaveLength(393);
    expect(metadataLength).toBe(52);
    expect(hex(nonce)).toBe(incomingMessage.nonce);
    expect(messageBox).toHaveLength(253);
  });

  it('derives MMK = BLAKE2b-256(key = shared secret, salt "mm", personal "3ma-csp") (spec §2.4)', () => {
    const sharedSecret = x25519HSalsa20(incomingMessage.receiverSecretKey, incomingMessage.senderPublicKey);
    expect(hex(deriveMessageMetadataKey(sharedSecret))).toBe(incomingMessage.messageMetadataKey);
  });

  it('decrypts the metadata box under MMK with the message nonce to the documented protobuf', () => {
    const sharedSecret = x25519HSalsa20(incomingMessage.receiverSecretKey, incomingMessage.senderPublicKey);
    const metadata = secretboxOpen(metadataBox, nonce, deriveMessageMetadataKey(sharedSecret));
    expect(hex(metadata)).toBe(incomingMessage.metadataProtobuf);

    const fields = protobufFields(metadata);
    expect(Buffer.from(fields.get(2) as Uint8Array).toString('utf8')).toBe('lenny-test@pixel8a');
    // metadata message_id must equal the outer one (spec §2.4): bytes 16..24 of the struct
    expect(fields.get(3)).toBe(Buffer.from(struct).readBigUInt64LE(16));
    expect(fields.get(4)).toBe(1747416011868n);
  });

  it('decrypts the body with the receiver secret and sender public key to a padded text "Hi"', () => {
    const plaintext = boxOpen(
      messageBox,
      nonce,
      incomingMessage.senderPublicKey,
      incomingMessage.receiverSecretKey,
    );
    expect(plaintext).toHaveLength(237);
    expect(plaintext[0]).toBe(0x01);
    expect(Buffer.from(plaintext.subarray(1, 3)).toString('utf8')).toBe('Hi');
    // 236-byte padded data, pad 234: every pad byte equals the pad length (spec §3)
    expect(plaintext[plaintext.length - 1]).toBe(234);
    expect(plaintext.subarray(3).every((byte) => byte === 234)).toBe(true);
  });
});
