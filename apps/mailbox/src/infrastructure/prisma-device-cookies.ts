import type { PrismaDeviceCookieRepository } from '@ots/mailbox-db';

import type { DeviceCookies, DeviceCookieState } from '../domain/ports';

export class PrismaDeviceCookies implements DeviceCookies {
  constructor(private readonly repository: PrismaDeviceCookieRepository) {}

  find(identity: string): Promise<DeviceCookieState | null> {
    return this.repository.find(identity);
  }

  save(identity: string, state: DeviceCookieState): Promise<void> {
    return this.repository.save(identity, state, new Date());
  }

  clearChangePending(identity: string): Promise<void> {
    return this.repository.clearChangePending(identity, new Date());
  }
}
