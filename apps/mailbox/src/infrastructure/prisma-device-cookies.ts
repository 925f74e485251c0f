import type { PrismaDeviceCookieRepository } from '@ots/mailbox-db';

import type { DeviceCookies, DeviceCookieState, LoginRecord } from '../domain/ports';

export class PrismaDeviceCookies implements DeviceCookies {
  constructor(private readonly repository: PrismaDeviceCookieRepository) {}

  findForLogin(identity: string): Promise<LoginRecord> {
    return this.repository.findWithQueuedCount(identity, new Date());
  }

  save(identity: string, state: DeviceCookieState): Promise<void> {
    return this.repository.save(identity, state, new Date());
  }

  clearChangePending(identity: string): Promise<void> {
    return this.repository.clearChangePending(identity, new Date());
  }
}
