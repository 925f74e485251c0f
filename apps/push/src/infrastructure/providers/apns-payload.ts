import { randomBytes, secretbox } from '@ots/crypto';

import type { WakeNotice } from '../../domain/wakeups/provider';

/**
 * The `threema` dictionary of an APNs wake-up (spec §7.2). A wake-up names no sender and no message ID
 * (docs/adr/0010-push-gateway.md), so the dictionary says only what kind of message waits: `cmd` and `voip`.
 * The Notification Service Extension then connects to the chat server and fetches the real message.
 */
export function threemaDictionary(notice: WakeNotice): Record<string, string> {
  return { cmd: notice.group ? 'newgroupmsg' : 'newmsg', voip: notice.voip ? 'true' : 'false' };
}

/** `{"box": base64, "nonce": base64}`: secretbox (XSalsa20-Poly1305) of the UTF-8 JSON under the device's key. */
export function encryptThreemaDictionary(
  dictionary: Record<string, string>,
  key: Uint8Array,
): { box: string; nonce: string } {
  const nonce = randomBytes(24);
  const box = secretbox(Buffer.from(JSON.stringify(dictionary), 'utf8'), nonce, key);
  return { box: Buffer.from(box).toString('base64'), nonce: Buffer.from(nonce).toString('base64') };
}

/** The alert payload: `mutable-content` so that the extension runs; a body, since a title-only alert may not. */
export function apnsAlertBody(notice: WakeNotice, payloadKey: Uint8Array | undefined): string {
  const dictionary = threemaDictionary(notice);
  return JSON.stringify({
    aps: {
      alert: { 'loc-key': notice.group ? 'new_group_message' : 'new_message' },
      'mutable-content': 1,
      sound: 'default',
    },
    threema: payloadKey ? encryptThreemaDictionary(dictionary, payloadKey) : dictionary,
  });
}

/** The VoIP (PushKit) payload: the same dictionary, no alert. */
export function apnsVoipBody(notice: WakeNotice, payloadKey: Uint8Array | undefined): string {
  const dictionary = threemaDictionary(notice);
  return JSON.stringify({
    aps: {},
    threema: payloadKey ? encryptThreemaDictionary(dictionary, payloadKey) : dictionary,
  });
}
