import { servicePrismaConfig } from '../../../tools/prisma/migrate-config';

export default servicePrismaConfig('push');
