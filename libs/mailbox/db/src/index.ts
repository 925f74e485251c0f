export { type DeviceCookieRecord, PrismaDeviceCookieRepository } from './device-cookie.repository';
export {
  createMailboxHotPathPool,
  createMailboxPrismaClient,
  DATABASE_TIMEOUTS,
  MAILBOX_SCHEMA,
  type MailboxPrismaClient,
} from './mailbox-prisma';
export {
  type MessageKey,
  type NewQueuedMessage,
  PrismaQueuedMessageRepository,
  type QueuedMessageRecord,
  type QueueStats,
} from './queued-message.repository';
