import { hex } from '../../test/hex';
import { incomingMessageVector } from '../../test/incoming-message-vector';
import { toLegacyMessage, toMessageWithMetadataBox } from './message-conversion';
import { decodeLegacyMessage, decodeMessageWithMetadataBox, encodeLegacyMessage } from './message-struct';

describe('message struct conversion (spec §2)', () => {
  const stored = decodeMessageWithMetadataBox(incomingMessageVector.struct);

  it('gives a legacy receiver the same envelope, nonce and box without the metadata', () => {
    const legacy = decodeLegacyMessage(encodeLegacyMessage(toLegacyMessage(stored)));
    expect(legacy.senderIdentity).toBe('0DA5ME76');
    expect(legacy.receiverIdentity).toBe('0HPT9EWD');
    expect(legacy.messageId).toBe(stored.messageId);
    expect(legacy.createdAt).toBe(1747416011);
    expect(legacy.flags).toBe(0x01);
    expect(hex(legacy.nonce)).toBe('b2d718b0db179e3e3bcdbf3c2be997490a0349f2e4fbaa43');
    expect(hex(legacy.messageBox)).toBe(hex(stored.messageBox));
  });

  it('round-trips legacy → metadata variant → legacy unchanged', () => {
    const legacy = toLegacyMessage(stored);
    const upgraded = toMessageWithMetadataBox(legacy);
    expect(upgraded.metadataContainer).toHaveLength(0);
    expect(hex(encodeLegacyMessage(toLegacyMessage(upgraded)))).toBe(hex(encodeLegacyMessage(legacy)));
  });
});
