export { createPushPrismaClient, PUSH_SCHEMA, type PushPrismaClient } from './push-prisma';
export {
  type GoneToken,
  type NewPushToken,
  PrismaPushTokenRepository,
  type StoredPushToken,
  TokenSlotCode,
} from './push-token.repository';
