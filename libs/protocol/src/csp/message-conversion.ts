import type { LegacyMessage, MessageEnvelope, MessageWithMetadataBox } from './message-struct';

// spec §1.7 / §2: the server stores the metadata variant and converts for receivers that logged in without bit 0
// of extension 0x02 (legacy-message), and converts legacy senders' messages on the way in.

function envelopeOf(message: MessageEnvelope): MessageEnvelope {
  return {
    senderIdentity: message.senderIdentity,
    receiverIdentity: message.receiverIdentity,
    messageId: message.messageId,
    createdAt: message.createdAt,
    flags: message.flags,
  };
}

/** For a legacy receiver: the encrypted metadata is dropped (it cannot be moved), the legacy nickname is kept. */
export function toLegacyMessage(message: MessageWithMetadataBox): LegacyMessage {
  return {
    ...envelopeOf(message),
    senderNickname: message.legacySenderNickname,
    nonce: message.nonce,
    messageBox: message.messageBox,
  };
}

/** From a legacy sender: no metadata container; the nickname goes into the legacy-sender-nickname field. */
export function toMessageWithMetadataBox(message: LegacyMessage): MessageWithMetadataBox {
  return {
    ...envelopeOf(message),
    legacySenderNickname: message.senderNickname,
    metadataContainer: new Uint8Array(0),
    nonce: message.nonce,
    messageBox: message.messageBox,
  };
}
