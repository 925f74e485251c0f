// NATS subjects and JetStream settings shared between services. Payloads are the protobuf messages of
// proto/ots/*/v1/*.proto. Subjects carry at most the one identity an event is about, never a pair of them.

/** Core NATS subjects of the directory's events (payloads: directoryEventsV1.*). */
export const DIRECTORY_EVENT_SUBJECTS = {
  /** directoryEventsV1.IdentityCreated */
  created: 'ots.directory.event.created',
  /** directoryEventsV1.IdentityRevoked */
  revoked: 'ots.directory.event.revoked',
  /** directoryEventsV1.HashLinked */
  linked: 'ots.directory.event.linked',
  /** directoryEventsV1.HashUnlinked */
  unlinked: 'ots.directory.event.unlinked',
} as const;

const IDENTITY_PATTERN = /^[0-9A-Z*][0-9A-Z]{7}$/;

/**
 * An identity as one NATS subject token. `*` (the prefix of system identities such as `*MY3DATA`) is a NATS
 * wildcard, so it is written as `_`, a character no identity contains.
 */
export function identitySubjectToken(identity: string): string {
  if (!IDENTITY_PATTERN.test(identity)) {
    throw new Error('not an identity: expected 8 characters of [0-9A-Z], the first may be *');
  }
  return identity.replace('*', '_');
}

/**
 * The push wake-up work queue (JetStream). One subject per receiver and at most one message per subject, so
 * repeated wake-ups for an offline receiver collapse into the newest. The push service consumes with explicit
 * acks; the mailbox publishes. Both create the stream with exactly these settings if it is missing.
 */
export const PUSH_WAKEUP_STREAM = {
  name: 'PUSH_WAKEUPS',
  subjectPrefix: 'ots.push.wakeup',
  subjects: ['ots.push.wakeup.*'],
  /** The durable consumer the push service reads with. */
  consumer: 'push-sender',
  maxMessagesPerSubject: 1,
  /** Wake-ups older than this are worthless: the longest retention of a queued message is far longer, but a
   * device that was not woken within a day will have connected by itself. */
  maxAgeSeconds: 24 * 60 * 60,
} as const;

/** The work-queue subject for a receiver's wake-up (payload pushWakeupV1.WakeUp). */
export function pushWakeupSubject(identity: string): string {
  return `${PUSH_WAKEUP_STREAM.subjectPrefix}.${identitySubjectToken(identity)}`;
}
