// Generated gRPC and event contracts (proto/ → buf generate → ts-proto). Regenerate with
// `npm run contracts:generate`. NATS subjects and stream settings are in subjects.ts.
export * as directoryV1 from './generated/ots/directory/v1/directory';
export * as directoryEventsV1 from './generated/ots/directory/v1/events';
export * as mailboxV1 from './generated/ots/mailbox/v1/mailbox';
export * as pushV1 from './generated/ots/push/v1/push';
export * as pushWakeupV1 from './generated/ots/push/v1/wakeup';
export * from './subjects';
