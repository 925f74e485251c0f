export {
  createDirectoryPrismaClient,
  DIRECTORY_SCHEMA,
  type DirectoryPrismaClient,
} from './directory-prisma';
export {
  type IdentityRecord,
  IdentityStateCode,
  IdentityTypeCode,
  type NewIdentity,
  PrismaIdentityRepository,
} from './identity.repository';
