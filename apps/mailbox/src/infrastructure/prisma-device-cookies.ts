import type { PrismaDeviceCookieRepository } from '@ots/mailbox-db';
import { TickBatcher } from '@ots/service-kit';

import type { DeviceCookies, DeviceCookieState, LoginRecord } from '../domain/ports';

const LOGINS_PER_READ = 500;
/**
 * Login reads under way at once; the logins that come meanwhile wait for one to return and then read together, so
 * in a login storm the reads grow into batches instead of one statement per login.
 */
const READS_IN_FLIGHT = 2;
const NOTHING_STORED: LoginRecord = { cookie: null, queuedMessages: 0 };

export class PrismaDeviceCookies implements DeviceCookies {
  /** the logins of one event-loop turn read their cookies and queue counts in one statement */
  private readonly loginReads = new TickBatcher<string, LoginRecord>(
    (identities) => this.repository.findManyWithQueuedCount(identities, new Date()),
    LOGINS_PER_READ,
    () => NOTHING_STORED,
    { maxInFlight: READS_IN_FLIGHT },
  );

  constructor(private readonly repository: PrismaDeviceCookieRepository) {}

  findForLogin(identity: string): Promise<LoginRecord> {
    return this.loginReads.get(identity);
  }

  save(identity: string, state: DeviceCookieState): Promise<void> {
    return this.repository.save(identity, state, new Date());
  }

  clearChangePending(identity: string): Promise<void> {
    return this.repository.clearChangePending(identity, new Date());
  }
}
