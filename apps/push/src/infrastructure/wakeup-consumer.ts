import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PUSH_WAKEUP_STREAM, pushWakeupV1 } from '@ots/contracts';
import { NatsClient } from '@ots/service-kit';
import type { ConsumerMessages, JsMsg } from 'nats';

import { PUSH_CONFIG, type PushConfig } from '../config';
import { DeliverWakeUpUseCase, type WakeUpJob } from '../domain/wakeups/deliver-wakeup.usecase';
import { PushMetrics } from './push-metrics';
import { ensureWakeUpConsumer, ensureWakeUpStream } from './wakeup-stream';

const PENDING_POLL_MS = 5_000;

/**
 * Reads wake-ups from the JetStream work queue. A message is acknowledged only after every device has a final
 * answer (sent, token deleted, failed for good, or expired); transient failures are handed back with a delay
 * (nak), and a crash simply leaves the message un-acknowledged, so JetStream redelivers it after the ack wait.
 * At most PUSH_MAX_IN_FLIGHT wake-ups are processed at once (bounded memory under a flood).
 */
@Injectable()
export class WakeUpConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WakeUpConsumer');
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private pendingTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PUSH_CONFIG) private readonly config: PushConfig,
    private readonly nats: NatsClient,
    private readonly deliver: DeliverWakeUpUseCase,
    private readonly metrics: PushMetrics,
  ) {}

  onApplicationBootstrap(): void {
    // in the background: the service answers /healthz (and reports not ready) while NATS is unreachable
    this.running = this.run().catch((error: unknown) => {
      if (!this.stopped) this.logger.error({ msg: 'wake-up consumer stopped', err: error });
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.pendingTimer) clearInterval(this.pendingTimer);
    // one deadline for all of it: a NATS connection that no longer answers (close() never settles) must not hold
    // up the shutdown; what is unacknowledged then is redelivered to the next consumer after the ack wait
    const deadlineMs = Math.min(this.config.SHUTDOWN_GRACE_MS / 2, 5_000);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.stopConsuming(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, deadlineMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  private async stopConsuming(): Promise<void> {
    await this.messages?.close().catch(() => undefined);
    // what is still in flight is either finished here or redelivered to the next consumer after the ack wait
    await Promise.allSettled([...this.inFlight]);
    // the loop ends once its message iterator is closed (run() closes one it gets after the stop); if NATS never
    // connected it is still waiting for the connection and must not hold up the shutdown
    if (this.messages) await this.running;
  }

  private async run(): Promise<void> {
    const connection = await this.nats.connected;
    const manager = await connection.jetstreamManager();
    await ensureWakeUpStream(manager);
    await ensureWakeUpConsumer(manager, {
      maxAckPending: this.config.PUSH_MAX_IN_FLIGHT,
      ackWaitMs: this.config.PUSH_WAKEUP_ACK_WAIT_MS,
    });
    const consumer = await connection
      .jetstream()
      .consumers.get(PUSH_WAKEUP_STREAM.name, PUSH_WAKEUP_STREAM.consumer);
    this.messages = await consumer.consume({ max_messages: Math.min(this.config.PUSH_MAX_IN_FLIGHT, 1_000) });
    if (this.stopped) {
      // the stop came while consume() was pending and found no iterator to close: closing it here ends the loop
      // below (close() settles only once the loop has read the iterator to its end, so it is not awaited)
      void this.messages.close().catch(() => undefined);
    } else {
      this.pendingTimer = setInterval(() => {
        consumer.info(true).then(
          (info) => {
            this.metrics.wakeupsPending.set(info.num_pending + info.num_ack_pending);
          },
          () => undefined,
        );
      }, PENDING_POLL_MS);
      this.pendingTimer.unref();
      this.logger.log({ msg: 'consuming wake-ups', maxInFlight: this.config.PUSH_MAX_IN_FLIGHT });
    }
    for await (const message of this.messages) {
      while (this.inFlight.size >= this.config.PUSH_MAX_IN_FLIGHT) await Promise.race(this.inFlight);
      const work = this.handle(message).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    let job: WakeUpJob;
    try {
      job = toJob(pushWakeupV1.WakeUp.decode(message.data));
    } catch {
      this.logger.warn({ msg: 'dropping a malformed wake-up message' });
      message.term('malformed');
      return;
    }
    // keep the message ours while providers answer slowly
    const keepAlive = setInterval(
      () => {
        message.working();
      },
      Math.max(500, Math.floor(this.config.PUSH_WAKEUP_ACK_WAIT_MS / 2)),
    );
    try {
      const result = await this.deliver.execute(job, message.info.deliveryCount);
      if (result.done) message.ack();
      else message.nak(Math.max(1, Math.round(result.retryInMs)));
    } catch (error) {
      // e.g. the database is unreachable: try again soon, nothing is lost
      this.logger.warn({ msg: 'wake-up delivery failed; retrying', err: error });
      message.nak(2_000);
    } finally {
      clearInterval(keepAlive);
    }
  }
}

export function toJob(wakeUp: pushWakeupV1.WakeUp): WakeUpJob {
  const createdAtMs = Number(wakeUp.createdAtMs);
  const expiresAtMs =
    wakeUp.expiresAtMs === 0n
      ? createdAtMs + PUSH_WAKEUP_STREAM.maxAgeSeconds * 1000
      : Number(wakeUp.expiresAtMs);
  return { identity: wakeUp.identity, createdAtMs, expiresAtMs, voip: wakeUp.voip, group: wakeUp.group };
}
