import { type sendUnaryData, type ServerUnaryCall, status } from '@grpc/grpc-js';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { mailboxV1 } from '@ots/contracts';
import { isThreemaId } from '@ots/protocol';
import { GrpcServerHost, unexpectedGrpcError } from '@ots/service-kit';

import { MAILBOX_CONFIG, type MailboxConfig } from '../config';
import { MailboxDatabase } from '../infrastructure/mailbox-database';

/** mailbox.v1 for the data export: counts and the device cookie, never content, senders or message IDs. */
@Injectable()
export class MailboxGrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MailboxGrpc');
  private readonly host: GrpcServerHost;

  constructor(
    @Inject(MAILBOX_CONFIG) private readonly config: MailboxConfig,
    private readonly database: MailboxDatabase,
  ) {
    const implementation: mailboxV1.MailboxServiceServer = {
      getInventory: (call, callback) => {
        void this.getInventory(call, callback);
      },
    };
    this.host = new GrpcServerHost(config.GRPC_HOST, config.GRPC_PORT, [
      { definition: mailboxV1.MailboxServiceService, implementation },
    ]);
  }

  get listeningPort(): number | undefined {
    return this.host.listeningPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = await this.host.start();
    this.logger.log({ msg: 'mailbox.v1 gRPC listening', grpcPort: port });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host.stop(this.config.SHUTDOWN_GRACE_MS);
  }

  private async getInventory(
    call: ServerUnaryCall<mailboxV1.GetInventoryRequest, mailboxV1.GetInventoryResponse>,
    callback: sendUnaryData<mailboxV1.GetInventoryResponse>,
  ): Promise<void> {
    const identity = call.request.identity;
    if (!isThreemaId(identity)) {
      callback({ code: status.INVALID_ARGUMENT, details: 'identity must be 8 characters of [0-9A-Z*]' });
      return;
    }
    try {
      const now = new Date();
      const [stats, cookie] = await Promise.all([
        this.database.queue.statsFor(identity, now),
        this.database.cookies.find(identity),
      ]);
      callback(null, {
        queuedMessages: stats.count,
        oldestQueuedAtMs: BigInt(stats.oldestQueuedAt?.getTime() ?? 0),
        deviceCookie: cookie ? Buffer.from(cookie.cookie) : Buffer.alloc(0),
        deviceCookieChangePending: cookie?.changePending ?? false,
      });
    } catch (error) {
      callback(unexpectedGrpcError(error, this.logger));
    }
  }
}
