import { createServer, type Server, type Socket } from 'node:net';

import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1, pushV1 } from '@ots/contracts';
import { x25519PublicKeyFromSecret } from '@ots/crypto';
import { DIRECTORY_CLIENT, type DirectoryClient } from '@ots/internal-clients';
import { MetricsRegistry, NotReadyError, ReadinessRegistry } from '@ots/observability';
import { createGrpcClient, ensurePushWakeUpStream, NatsClient } from '@ots/service-kit';
import type { Subscription } from 'nats';

import { MAILBOX_CONFIG, type MailboxConfig } from '../config';
import { AcceptMessage } from '../domain/accept-message';
import { LatePasses } from '../domain/late-passes';
import { LoginService, type LoginState, type VerifiedLogin } from '../domain/login.service';
import {
  MailboxSession,
  type SessionDependencies,
  type SessionOutput,
  type SessionSettings,
} from '../domain/mailbox-session';
import { QueueQuota } from '../domain/queue-quota';
import { DirectoryIdentityCache } from '../infrastructure/directory-identity-cache';
import { DirectoryLoginRecorder } from '../infrastructure/directory-login-recorder';
import { GrpcPushTokenRegistry } from '../infrastructure/grpc-push-tokens';
import { IdentityReplica } from '../infrastructure/identity-replica';
import { JetStreamWakeUpPublisher } from '../infrastructure/jetstream-wakeups';
import { MailboxDatabase } from '../infrastructure/mailbox-database';
import { MailboxMetrics } from '../infrastructure/mailbox-metrics';
import { watchNatsConnection } from '../infrastructure/nats-connection-events';
import { NatsDeliveryRouter } from '../infrastructure/nats-router';
import { PrismaDeviceCookies } from '../infrastructure/prisma-device-cookies';
import { PrismaMessageStore } from '../infrastructure/prisma-message-store';
import { type ConnectionHost, CspConnection } from './csp-connection';
import type { ServerHandshake, ServerPermanentKey } from './server-handshake';

const SHORT_LIVED_MS = 60_000;
const SWEEP_INTERVAL_MS = 10_000;
const SWEEP_BATCH = 10_000;
const GAUGE_INTERVAL_MS = 15_000;
const WARNING_INTERVAL_MS = 10_000;
/**
 * Sessions are checked for queued messages once, 0.5–1 s after login-ack (LatePasses, docs/adr/0029): long
 * against the moment a subscription takes to spread across the NATS cluster and to the other site.
 */
const LATE_PASS_PERIOD_MS = 500;
/** identities per StreamIdentities message of the replica's walk */
const REPLICA_BATCH = 5_000;
const REPLICA_MAX_RETRY_MS = 30_000;
/** a walk of 10⁶ identities takes the directory 5–14 s of CPU (docs/adr/0030) */
const REPLICA_WALK_DEADLINE_MS = 300_000;

/**
 * The chat server (spec §1): listens for CSP over TCP, authenticates, and runs one MailboxSession per
 * connection, wired to the queue (PostgreSQL), routing (NATS), wake-ups (JetStream), the directory and push.
 */
@Injectable()
export class ChatServer implements ConnectionHost, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ChatServer');
  readonly serverKey: ServerPermanentKey;
  readonly handshakeTimeoutMs: number;
  readonly idleTimeoutS: number;
  readonly metrics: MailboxMetrics;
  readonly store: PrismaMessageStore;
  private readonly identities: DirectoryIdentityCache;
  private readonly replica: IdentityReplica | undefined;
  private readonly router: NatsDeliveryRouter<MailboxSession>;
  private readonly loginService: LoginService;
  private readonly accept: AcceptMessage;
  private readonly recorder: DirectoryLoginRecorder;
  private readonly latePasses: LatePasses<MailboxSession>;
  private readonly wakeUps: JetStreamWakeUpPublisher;
  private readonly pushClient: pushV1.PushServiceClient;
  private readonly cookies: PrismaDeviceCookies;
  /** one of each for all sessions: per-connection memory is what 20,000 idle connections multiply */
  private readonly sessionDeps: SessionDependencies;
  private readonly sessionSettings: SessionSettings;
  private readonly connections = new Set<CspConnection>();
  private server: Server | undefined;
  private listening = false;
  private revocations: Subscription | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private gaugeTimer: NodeJS.Timeout | undefined;
  private lastWakeUpWarning = 0;

  constructor(
    @Inject(MAILBOX_CONFIG) private readonly config: MailboxConfig,
    @Inject(DIRECTORY_CLIENT) directory: DirectoryClient,
    private readonly database: MailboxDatabase,
    private readonly nats: NatsClient,
    metricsRegistry: MetricsRegistry,
    readiness: ReadinessRegistry,
  ) {
    const secretKey = config.CSP_SERVER_SECRET_KEY_FILE;
    this.serverKey = { secretKey, publicKey: x25519PublicKeyFromSecret(secretKey) };
    this.handshakeTimeoutMs = config.CSP_HANDSHAKE_TIMEOUT_MS;
    this.idleTimeoutS = config.CSP_IDLE_TIMEOUT_S;
    this.metrics = new MailboxMetrics(metricsRegistry);
    this.store = new PrismaMessageStore(database.queue, {
      maxBatch: config.MAILBOX_STORE_MAX_BATCH,
      // never the whole pool: logins and queue reads need connections too
      concurrency: Math.min(config.MAILBOX_STORE_CONCURRENCY, Math.max(1, config.DATABASE_POOL_SIZE - 1)),
      onCommit: (size, durationMs) => {
        this.metrics.batchSize.observe(size);
        this.metrics.commitDuration.observe(durationMs / 1000);
      },
      onDeleteError: (error) => {
        this.logger.error({ msg: 'deleting acknowledged messages failed', err: error });
      },
    });
    this.replica = config.MAILBOX_IDENTITY_REPLICA ? this.createReplica(directory) : undefined;
    this.identities = new DirectoryIdentityCache(
      directory,
      secretKey,
      { ttlMs: 60_000, unknownTtlMs: 5_000, maxEntries: 200_000, deadlineMs: 5_000 },
      Date.now,
      this.replica,
    );
    this.router = new NatsDeliveryRouter<MailboxSession>(() => nats.connection);
    this.cookies = new PrismaDeviceCookies(database.cookies);
    this.loginService = new LoginService(this.identities, this.cookies, {
      allowLegacyVouch: config.CSP_ALLOW_LEGACY_VOUCH,
      failuresPerSourcePerMinute: config.CSP_LOGIN_FAILURES_PER_SOURCE_PER_MINUTE,
      failuresPerIdentityPerMinute: config.CSP_LOGIN_FAILURES_PER_IDENTITY_PER_MINUTE,
    });
    this.wakeUps = new JetStreamWakeUpPublisher(
      (subject, payload) => nats.connection.jetstream().publish(subject, payload),
      (outcome, error) => {
        this.metrics.wakeUps.inc({ outcome });
        // at most one line per interval: under overload a log line per failure would make it worse
        if (outcome !== 'queued' && Date.now() - this.lastWakeUpWarning > WARNING_INTERVAL_MS) {
          this.lastWakeUpWarning = Date.now();
          this.logger.warn({
            msg: 'queueing push wake-ups fails; retrying (see ots_mailbox_wakeups_total{outcome="failed"|"dropped"})',
            err: error instanceof Error ? error.message : String(error),
          });
        }
      },
    );
    this.accept = new AcceptMessage(
      this.identities,
      this.store,
      this.router,
      this.wakeUps,
      new QueueQuota(this.store, config.MAILBOX_QUEUE_QUOTA),
      { retentionMs: config.MAILBOX_RETENTION_DAYS * 86_400_000, shortLivedMs: SHORT_LIVED_MS },
    );
    this.recorder = new DirectoryLoginRecorder(directory, 1_000, (error) => {
      this.logger.warn({ msg: 'recording last-login times failed; retrying', err: error });
    });
    this.pushClient = createGrpcClient(pushV1.PushServiceClient, config.PUSH_GRPC_URL);
    this.sessionDeps = {
      store: this.store,
      accept: this.accept,
      pushTokens: new GrpcPushTokenRegistry(this.pushClient),
      cookies: this.cookies,
      telemetry: this.metrics,
      onBackgroundError: (what, error) => {
        this.logger.warn({ msg: `${what} failed`, err: error });
      },
    };
    this.sessionSettings = { deliveryWindow: config.MAILBOX_DELIVERY_WINDOW, maxPendingAccepts: 1_000 };
    this.latePasses = new LatePasses(
      (identities) => this.store.withQueuedMessages(identities),
      LATE_PASS_PERIOD_MS,
      (error) => {
        this.logger.warn({ msg: 'late queue check after login failed', err: error });
      },
    );
    readiness.register('chat-server', () =>
      this.listening ? Promise.resolve() : Promise.reject(new NotReadyError('chat server not listening yet')),
    );
  }

  private createReplica(directory: DirectoryClient): IdentityReplica {
    const replica = new IdentityReplica(
      directory,
      {
        resyncMs: this.config.MAILBOX_IDENTITY_RESYNC_MINUTES * 60_000,
        batchSize: REPLICA_BATCH,
        maxRetryMs: REPLICA_MAX_RETRY_MS,
        walkDeadlineMs: REPLICA_WALK_DEADLINE_MS,
      },
      {
        loaded: (entries, durationMs) => {
          this.metrics.replicaLoads.inc({ outcome: 'loaded' });
          this.logger.log({ msg: 'identity replica loaded', entries, loadMs: Math.round(durationMs) });
        },
        walkFailed: (error) => {
          this.metrics.replicaLoads.inc({ outcome: 'failed' });
          this.logger.warn({
            msg: 'walking the directory for the identity replica failed; retrying (look-ups ask the directory meanwhile)',
            err: error instanceof Error ? error.message : String(error),
          });
        },
        malformedEvent: (subject) => {
          this.logger.warn({ msg: 'ignoring a malformed directory event', subject });
        },
      },
    );
    this.metrics.setReplicaSize(() => replica.size);
    return replica;
  }

  /** The bound TCP port (tests configure 0). */
  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  onApplicationBootstrap(): void {
    // listen once NATS is there (routing needs it); the process is alive and reports not-ready until then
    void this.nats.connected
      .then(async (nc) => {
        await ensurePushWakeUpStream(await nc.jetstreamManager({ timeout: 5_000 }));
        this.router.start();
        // before the replica starts: its flush confirms this subscription too, ahead of its first walk
        this.revocations = nc.subscribe(DIRECTORY_EVENT_SUBJECTS.revoked, {
          callback: (error, message) => {
            if (!error) this.onRevoked(message.data);
          },
        });
        // the replica never holds up listening: without it, look-ups ask the directory
        await this.replica?.start(nc).catch((error: unknown) => {
          this.logger.warn({
            msg: 'the identity replica could not subscribe to directory events; look-ups ask the directory',
            err: error instanceof Error ? error.message : String(error),
          });
        });
        watchNatsConnection(nc, {
          disconnected: () => {
            this.router.connectionLost();
          },
          // live signals sent while we were away are lost; the messages are in the queue: read it again
          reconnected: () => {
            this.router.connectionRestored();
            for (const session of this.router.allConnections()) session.resync();
            // identity events sent while we were away are lost too
            this.replica?.resync();
          },
        });
        this.recorder.start();
        this.startMaintenance();
        await this.listen();
      })
      .catch((error: unknown) => {
        this.logger.error({ msg: 'chat server failed to start', err: error });
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.listening = false;
    this.latePasses.stop();
    clearInterval(this.sweepTimer);
    clearInterval(this.gaugeTimer);
    const closed = this.server
      ? new Promise<void>((resolve) =>
          this.server?.close(() => {
            resolve();
          }),
        )
      : undefined;
    for (const connection of this.connections) {
      connection.close({ canReconnect: true, message: 'Server is restarting, please reconnect' });
    }
    await closed;
    const deadline = Date.now() + this.config.SHUTDOWN_GRACE_MS;
    while (this.store.pendingWrites > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.revocations?.unsubscribe();
    this.replica?.stop();
    this.router.stop();
    this.wakeUps.stop();
    await this.recorder.stop();
    this.pushClient.close();
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true }, (socket) => {
        this.onSocket(socket);
      });
      server.once('error', reject);
      server.listen(this.config.CSP_PORT, this.config.CSP_HOST, () => {
        server.off('error', reject);
        server.on('error', (error) => {
          this.logger.error({ msg: 'chat server socket error', err: error });
        });
        this.server = server;
        this.listening = true;
        this.logger.log({ msg: 'chat server listening', cspPort: this.port });
        resolve();
      });
    });
  }

  private onSocket(socket: Socket): void {
    if (!this.listening) {
      socket.destroy();
      return;
    }
    this.connections.add(new CspConnection(socket, this));
  }

  // ---- ConnectionHost ----

  authenticate(
    handshake: ServerHandshake,
    loginData: Parameters<LoginService['verify']>[1],
    extensions: Parameters<LoginService['verify']>[2],
    source: string,
  ): Promise<VerifiedLogin> {
    return this.loginService.verify(handshake, loginData, extensions, source);
  }

  openSession(login: VerifiedLogin, output: SessionOutput, connectionId: Uint8Array): MailboxSession {
    const session = new MailboxSession(
      login,
      output,
      this.sessionDeps,
      this.sessionSettings,
      Date.now,
      connectionId,
    );
    this.metrics.connections.inc();
    this.router.attach(session);
    return session;
  }

  async loginState(
    login: VerifiedLogin,
    extensions: Parameters<LoginService['loginState']>[1],
  ): Promise<LoginState> {
    // the read must begin after NATS has the session's subscription (docs/adr/0029)
    await this.router.subscriptionsRegistered();
    return this.loginService.loginState(login.identity, extensions);
  }

  loggedIn(session: MailboxSession): void {
    this.recorder.record(session.identity, new Date(session.loginAtMs));
    this.latePasses.add(session);
  }

  closeSession(session: MailboxSession): void {
    this.latePasses.remove(session);
    this.router.detach(session);
    this.metrics.connections.dec();
  }

  loginOutcome(outcome: string): void {
    this.metrics.logins.inc({ outcome });
  }

  protocolError(reason: string): void {
    this.metrics.protocolErrors.inc({ reason });
  }

  closed(connection: CspConnection): void {
    this.connections.delete(connection);
  }

  // ---- events and maintenance ----

  private onRevoked(data: Uint8Array): void {
    let identity: string;
    try {
      identity = directoryEventsV1.IdentityRevoked.decode(data).identity;
    } catch {
      this.logger.warn({ msg: 'ignoring a malformed revocation event' });
      return;
    }
    this.identities.forget(identity);
    this.replica?.revoke(identity);
    for (const session of [...this.router.connectionsOf(identity)]) session.revoke();
    // nothing of a revoked identity stays (its *MY3DATA inventory is empty); every instance does this, harmlessly
    Promise.all([
      this.database.queue.deleteForReceiver(identity),
      this.database.cookies.delete(identity),
    ]).catch((error: unknown) => {
      this.logger.warn({
        msg: 'deleting the queue of a revoked identity failed',
        err: error instanceof Error ? error.message : String(error),
      });
    });
  }

  private startMaintenance(): void {
    this.sweepTimer = setInterval(() => {
      void this.sweepExpired();
    }, SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    this.gaugeTimer = setInterval(() => {
      void this.updateQueueGauges();
    }, GAUGE_INTERVAL_MS);
    this.gaugeTimer.unref();
    void this.updateQueueGauges();
  }

  private async sweepExpired(): Promise<void> {
    try {
      for (;;) {
        const deleted = await this.database.queue.deleteExpired(new Date(), SWEEP_BATCH);
        this.metrics.expiredTotal.inc(deleted);
        if (deleted < SWEEP_BATCH) return;
      }
    } catch (error) {
      this.logger.warn({ msg: 'expiry sweep failed', err: error });
    }
  }

  private async updateQueueGauges(): Promise<void> {
    try {
      const totals = await this.database.queue.totals();
      this.metrics.queueDepth.set(totals.count);
      this.metrics.queueOldestAge.set(
        totals.oldestQueuedAt ? Math.max(0, (Date.now() - totals.oldestQueuedAt.getTime()) / 1000) : 0,
      );
    } catch (error) {
      this.logger.warn({ msg: 'reading queue gauges failed', err: error });
    }
  }
}
