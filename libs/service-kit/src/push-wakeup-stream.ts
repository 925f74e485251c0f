import { PUSH_WAKEUP_STREAM } from '@ots/contracts';
import { DiscardPolicy, type JetStreamManager, nanos, RetentionPolicy, StorageType } from 'nats';

/**
 * The push wake-up work queue with exactly the settings of libs/contracts PUSH_WAKEUP_STREAM (one subject per
 * receiver, at most one message per subject, so repeated wake-ups collapse into the newest), created if missing.
 * Both sides call it — the mailbox publishes, push consumes — so whichever starts first creates it; an existing
 * stream is left as it is.
 */
export async function ensurePushWakeUpStream(manager: JetStreamManager): Promise<void> {
  try {
    await manager.streams.info(PUSH_WAKEUP_STREAM.name);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await manager.streams.add({
      name: PUSH_WAKEUP_STREAM.name,
      subjects: [...PUSH_WAKEUP_STREAM.subjects],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_msgs_per_subject: PUSH_WAKEUP_STREAM.maxMessagesPerSubject,
      max_age: nanos(PUSH_WAKEUP_STREAM.maxAgeSeconds * 1000),
    });
  } catch (error) {
    // the other side created it meanwhile
    if (!/already in use/i.test(String(error))) throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return /not found/i.test(error instanceof Error ? error.message : String(error));
}
