export {
  createDirectoryPrismaClient,
  DATABASE_TIMEOUTS,
  DIRECTORY_SCHEMA,
  type DirectoryPrismaClient,
} from './directory-prisma';
export {
  IDENTITY_RECORD_COLUMNS,
  type IdentityRecord,
  type IdentityRow,
  IdentityStateCode,
  IdentityTypeCode,
  type NewIdentity,
  PrismaIdentityRepository,
  toIdentityRecord,
  toStateCode,
  toTypeCode,
} from './identity.repository';
