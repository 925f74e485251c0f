/**
 * How every column the services store is treated by the *MY3DATA export (docs/data-export.md). The completeness
 * guard (export-coverage.spec.ts) fails when a column of any libs/<service>/db/prisma/schema.prisma is missing here,
 * so adding a column means deciding this first.
 *
 * - `shown`: the JSON path (dot-separated; `[]` for list items) under which the export shows the value.
 * - `notShown`: the column is deliberately left out; the reason says why it is not personal data of the requester
 *   (or why showing it would harm someone else).
 */
export type Coverage = { readonly shown: string } | { readonly notShown: string };

export type ExportCoverage = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, Coverage>>>>>
>;

export const EXPORT_COVERAGE: ExportCoverage = {
  directory: {
    Identity: {
      id: { shown: 'identity' },
      publicKey: { shown: 'publicKey' },
      state: { shown: 'state' },
      type: { shown: 'type' },
      featureMask: { shown: 'featureMask' },
      serverGroup: { shown: 'serverGroup' },
      createdAt: { shown: 'issueDate' },
      lastLoginAt: { shown: 'lastLogin' },
      emailHash: { shown: 'emailHash' },
      mobileNoHash: { shown: 'mobileNoHash' },
      revocationKeyHash: { shown: 'revocationKey.set' },
      revocationKeyChangedAt: { shown: 'revocationKey.lastChanged' },
    },
    PendingLink: {
      id: { notShown: 'a random verification handle, no data about the person' },
      identityId: { shown: 'identity' },
      kind: { shown: 'pendingLinks[].kind' },
      hash: { shown: 'pendingLinks[].hash' },
      secretHash: {
        notShown:
          'hash of a one-time verification secret; showing it would help guess the secret, it says nothing about the person',
      },
      expiresAt: { shown: 'pendingLinks[].expires' },
      attempts: { notShown: 'abuse counter of wrong codes, reset with the link; server bookkeeping' },
    },
  },
  mailbox: {
    QueuedMessage: {
      seq: { notShown: 'arrival order inside the server, no data about the person' },
      receiver: { shown: 'mailbox.queuedMessages' },
      sender: {
        notShown:
          'another person: the export never reveals who wrote to the requester (sender-receiver pairs)',
      },
      messageId: { notShown: "chosen by the sender's client; identifies someone else's message" },
      flags: { notShown: "set by the sender's client for delivery; part of someone else's message" },
      queuedAt: { shown: 'mailbox.oldestQueuedAt' },
      expiresAt: { notShown: 'queuedAt plus the fixed retention period of docs/configuration.md' },
      struct: { notShown: 'end-to-end ciphertext the server cannot read; delivered to the requester anyway' },
    },
    DeviceCookie: {
      identity: { shown: 'identity' },
      cookie: { shown: 'mailbox.deviceCookie' },
      changePending: { shown: 'mailbox.deviceCookieChangePending' },
      updatedAt: {
        notShown: 'the time of a login that presented the cookie; the export shows logins as lastLogin',
      },
    },
  },
  push: {
    PushToken: {
      identity: { shown: 'identity' },
      deviceId: { shown: 'pushtokens[].device_id' },
      slot: { shown: 'pushtokens[].push_token' },
      tokenType: { shown: 'pushtokens[].push_token.type' },
      token: { shown: 'pushtokens[].push_token.data' },
      ownPushId: { notShown: 'derived from the own-push token, which is shown in full (push_token.data)' },
      setAt: { shown: 'pushtokens[].push_token.timestamp' },
    },
  },
};
