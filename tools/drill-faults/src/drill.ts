import { writeFileSync } from 'node:fs';

import type { CspSession, IncomingCspMessage } from '@ots/client';
import { randomBytes } from '@ots/crypto';
import { encodeMessageWithMetadataBox, MessageFlag, PushTokenType } from '@ots/protocol';

import { DrillClient, sleep } from './drill-client';
import { Ledger, messageKey } from './ledger';
import { fcmPushes, type WakeUpQueueState, wakeUpQueueState } from './observers';
import { Site } from './site';
import { type StepResult, verdictOf } from './verdict';
import { WakeUpBook } from './wakeup-book';

export const FAULTS = ['mailbox', 'push', 'directory', 'nats', 'postgres'] as const;
export type Fault = (typeof FAULTS)[number];

export interface DrillOptions {
  /** clients that stay online, sending to each other across both mailbox instances (even, ≥ 2) */
  readonly onlineClients: number;
  /** receivers that stay offline: their messages queue and must wake their device */
  readonly offlineReceivers: number;
  /** pause between two messages of one online client */
  readonly sendIntervalMs: number;
  /** pause between two messages to one offline receiver (after the push for the previous one arrived) */
  readonly offlineIntervalMs: number;
  /** load before the kill, down time before the restart, load after recovery */
  readonly preKillMs: number;
  readonly downtimeMs: number;
  readonly postRecoveryMs: number;
  /** recovery (end to end and readiness) must happen within this bound after the kill */
  readonly recoveryBoundMs: number;
  /** a wake-up must reach the fake provider within this time after its message was sent */
  readonly wakeUpBoundMs: number;
  /** acknowledged messages must be delivered within this time after the step's load stopped */
  readonly settleBoundMs: number;
  /** push's PUSH_WAKEUP_ACK_WAIT_MS: how soon a wake-up held by a killed push process is redelivered */
  readonly pushAckWaitMs: number;
  readonly faults: readonly Fault[];
  readonly log: (line: string) => void;
}

export interface DrillReport {
  readonly steps: StepResult[];
  /** over the whole run, after every receiver came online at the end */
  readonly total: ReturnType<Ledger['counts']>;
  readonly unexpectedDeliveries: number;
  readonly passed: boolean;
}

const BODY_LENGTH = 256;

/** A message-with-metadata-box with an opaque box (the server never looks inside) and a random message ID. */
function message(sender: string, receiver: string): { struct: Uint8Array; key: string } {
  const messageId = new DataView(randomBytes(8).buffer).getBigUint64(0, true);
  const struct = encodeMessageWithMetadataBox({
    senderIdentity: sender,
    receiverIdentity: receiver,
    messageId,
    createdAt: Math.floor(Date.now() / 1000),
    flags: MessageFlag.SEND_PUSH_NOTIFICATION,
    legacySenderNickname: new Uint8Array(32),
    metadataContainer: new Uint8Array(0),
    nonce: randomBytes(24),
    messageBox: randomBytes(BODY_LENGTH),
  });
  return { struct, key: messageKey(sender, messageId) };
}

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/**
 * The fault-injection drill (issue 9): under continuous load, SIGKILL and restart each part of one site in turn
 * and check after each step that no acknowledged message and no queued wake-up was lost, and that the site
 * recovered by itself within the bound.
 */
export async function runDrill(root: string, options: DrillOptions): Promise<DrillReport> {
  const { log } = options;
  if (options.onlineClients < 2 || options.onlineClients % 2 !== 0)
    throw new Error('onlineClients must be even and at least 2');
  log('starting the site: PostgreSQL (durable), NATS (JetStream file store), push fakes, services…');
  const started = Date.now();
  const site = await Site.start({
    root,
    identityCount: options.onlineClients + options.offlineReceivers,
    pushAckWaitMs: options.pushAckWaitMs,
    logLevel: process.env.DRILL_FAULTS_LOG_LEVEL ?? 'warn',
  });
  log(`site ready in ${String(Date.now() - started)} ms`);
  const ledger = new Ledger();
  const book = new WakeUpBook();
  const tokens = new Map<string, string>();
  let step = 0;
  /** the label of messages the online load sends now: the step, or step + 0.5 between two steps' windows */
  let loadLabel = 0;
  /** (an object: the loops read these after awaits, where a plain local would be narrowed to its first value) */
  const running = { load: true, poll: true };
  const clients: DrillClient[] = [];
  try {
    const deliveredTo =
      (identity: string) =>
      (incoming: IncomingCspMessage): void => {
        ledger.delivered(messageKey(incoming.senderIdentity, incoming.messageId), identity, Date.now());
        incoming.ack();
      };
    const makeClient = (index: number): DrillClient => {
      const { identity, secretKey } = site.identities[index];
      const preferred = index % 2;
      return new DrillClient({
        identity,
        secretKey,
        serverPublicKey: site.serverPublicKey,
        endpoints: [site.endpoints[preferred], site.endpoints[1 - preferred]],
        onMessage: deliveredTo(identity),
      });
    };
    const online = Array.from({ length: options.onlineClients }, (_, i) => makeClient(i));
    const offline = Array.from({ length: options.offlineReceivers }, (_, i) =>
      makeClient(options.onlineClients + i),
    );
    clients.push(...online, ...offline);
    await Promise.all(online.map((client) => client.goOnline()));

    // offline receivers register an FCM token once, then leave
    for (const client of offline) {
      const token = `drill-${client.identity}-${Buffer.from(randomBytes(8)).toString('hex')}`;
      tokens.set(token, client.identity);
      const session = await client.goOnline();
      session.setPushToken(PushTokenType.fcm, Buffer.from(token, 'ascii'));
      await session.echo();
    }
    await sleep(500);
    await Promise.all(offline.map((client) => client.goOffline()));

    const poller = (async () => {
      while (running.poll) {
        const pushes = await fcmPushes(site.fakes.fcmUrl, tokens);
        if (pushes) book.observe(pushes);
        await sleep(250);
      }
    })();

    // closed-loop online load: client k sends alternately to k+1 (the other instance) and k+2 (the same one)
    const onlineLoad = online.map(async (client, k) => {
      let n = 0;
      while (running.load) {
        n += 1;
        const receiver = online[(k + 1 + (n % 2)) % online.length].identity;
        const { struct, key } = message(client.identity, receiver);
        ledger.sent(key, client.identity, receiver, loadLabel, Date.now());
        await client.send(key, struct);
        ledger.acked(key, Date.now());
        await sleep(options.sendIntervalMs);
      }
    });

    /** one message at a time to each offline receiver; the next once the push for the previous one arrived */
    const offlineLoad = (stepIndex: number, running: () => boolean): Promise<void>[] =>
      offline.map(async (receiver, r) => {
        let n = r;
        while (running()) {
          const sender = online[n++ % online.length];
          const { struct, key } = message(sender.identity, receiver.identity);
          const sentAt = Date.now();
          ledger.sent(key, sender.identity, receiver.identity, stepIndex, sentAt);
          await sender.send(key, struct);
          ledger.acked(key, Date.now());
          book.expect({ receiver: receiver.identity, step: stepIndex, sentAt });
          await until(() => book.pushedAfter(receiver.identity, sentAt), options.wakeUpBoundMs, 100);
          await sleep(options.offlineIntervalMs);
        }
      });

    // a step 0 without a fault: the baseline, and a check that the push path works before anything is killed
    const steps: StepResult[] = [];
    const plan: (Fault | 'baseline')[] = ['baseline', ...options.faults];
    for (const fault of plan) {
      step = steps.length;
      loadLabel = step;
      const stepStart = Date.now();
      const queueBefore = await waitForQueueState(site);
      let offlineRunning = true;
      const offlineLoops = offlineLoad(step, () => offlineRunning);
      await sleep(options.preKillMs);

      const killedAt = Date.now();
      let restartedAt = killedAt;
      if (fault !== 'baseline') {
        log(`step ${String(step)}: SIGKILL ${fault}`);
        await kill(site, fault);
        await sleep(options.downtimeMs);
        await restart(site, fault);
        restartedAt = Date.now();
      }
      let readyAt: number | undefined;
      let e2eAllAt: number | undefined;
      await until(
        async () => {
          e2eAllAt ??= ledger.allSendersRecoveredAt(
            online.map((c) => c.identity),
            killedAt,
          );
          if (readyAt === undefined && (await site.allReady())) readyAt = Date.now();
          return e2eAllAt !== undefined && readyAt !== undefined;
        },
        options.recoveryBoundMs - (restartedAt - killedAt),
      );
      const e2eFirstAt = ledger.firstDeliveryAfter(killedAt);
      await sleep(options.postRecoveryMs);

      // clients that fell over to the other mailbox go back, so both instances carry load in the next step
      await Promise.all(online.map((client) => client.returnToPreferred()));
      // settle: offline loops finish their current message (and its wake-up), online messages get delivered
      offlineRunning = false;
      // the step's message window ends here: what the online load sends from now on is counted in the total only
      loadLabel = step + 0.5;
      // bounded: a site that never recovers fails the step (its messages stay unacknowledged) instead of hanging
      await within(Promise.all(offlineLoops), options.settleBoundMs);
      const stepEnd = Date.now();
      const inStep = (record: { step: number }): boolean => record.step === step;
      // every message of the window acknowledged (clients resend until it is) and delivered to online receivers
      await until(() => {
        const counts = ledger.counts((r) => inStep(r) && !isOffline(r.receiver));
        return counts.acked === counts.sent && counts.lost === 0;
      }, options.settleBoundMs);
      // every wake-up JetStream accepted must be taken and acknowledged by push
      const queueSettled = await until(async () => {
        const state = await wakeUpQueueState(site.nats.monitorPort);
        if (!state) return false;
        return state.stored === 0 && state.pending === 0 && state.ackPending === 0;
      }, options.settleBoundMs);
      const queueAfter = await waitForQueueState(site);
      const pushes = await fcmPushes(site.fakes.fcmUrl, tokens);
      if (pushes) book.observe(pushes);
      // then the offline receivers come online and fetch what was queued for them
      await drain(offline, ledger, (record) => inStep(record));

      const counts = ledger.counts(inStep);
      const wakeUps = book.counts((expectation) => expectation.step === step);
      const result: StepResult = {
        step,
        fault,
        recoveryFirstMs: e2eFirstAt === undefined ? undefined : e2eFirstAt - killedAt,
        recoveryAllMs: e2eAllAt === undefined ? undefined : e2eAllAt - killedAt,
        readyMs: readyAt === undefined ? undefined : readyAt - killedAt,
        sent: counts.sent,
        acked: counts.acked,
        delivered: counts.delivered,
        lost: counts.lost,
        duplicates: counts.duplicates,
        wakeUpsExpected: wakeUps.expected,
        wakeUpsLost: wakeUps.lost,
        wakeUpsAccepted: queueAfter.accepted - queueBefore.accepted,
        pushesSent: book.pushesBetween(stepStart, Date.now()),
        queueSettled,
        streamStorage: queueAfter.storage,
        durationMs: stepEnd - stepStart,
        verdict: 'PASS',
        problems: [],
      };
      const judged = verdictOf(result, options.recoveryBoundMs);
      steps.push(judged);
      log(`  mailbox wake-up outcomes: ${await site.mailboxWakeUpCounters()}`);
      for (const record of ledger.lost(inStep).slice(0, 5))
        log(
          `  undelivered: to an ${isOffline(record.receiver) ? 'offline' : 'online'} receiver, sent ${String(record.firstSentAt - killedAt)} ms, acked ${String((record.ackedAt ?? 0) - killedAt)} ms from the kill`,
        );
      const unmet = book.unmet((expectation) => expectation.step === step);
      if (unmet.length > 0)
        log(
          `  wake-ups missing for messages sent at (ms from the kill): ${unmet.map((e) => String(e.sentAt - killedAt)).join(', ')}`,
        );
      log(
        `step ${String(step)} (${fault}): ${judged.verdict}${judged.problems.length > 0 ? ` — ${judged.problems.join('; ')}` : ''}`,
      );
    }

    // the end: stop the load, let every pending message be acknowledged, and check the whole run once more
    running.load = false;
    await within(Promise.all(onlineLoad), options.settleBoundMs);
    await until(() => {
      const counts = ledger.counts((r) => !isOffline(r.receiver));
      return counts.acked === counts.sent && counts.lost === 0;
    }, options.settleBoundMs);
    await drain(offline, ledger, () => true);
    running.poll = false;
    await poller;
    const total = ledger.counts();
    return {
      steps,
      total,
      unexpectedDeliveries: ledger.unexpected,
      passed: steps.every((s) => s.verdict === 'PASS') && total.lost === 0 && ledger.unexpected === 0,
    };

    function isOffline(identity: string): boolean {
      return offline.some((client) => client.identity === identity);
    }
  } catch (error) {
    process.stderr.write(`${site.serviceOutput().slice(-20_000)}\n`);
    throw error;
  } finally {
    running.load = false;
    running.poll = false;
    await Promise.all(clients.map((client) => client.goOffline()));
    if (process.env.DRILL_FAULTS_SERVICE_LOG)
      writeFileSync(process.env.DRILL_FAULTS_SERVICE_LOG, site.serviceOutput());
    await site.stop();
  }
}

/** Resolves when `work` does or after `ms`, whichever comes first. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** Offline receivers log in, take their backlog (acking it), and leave again. */
async function drain(
  receivers: readonly DrillClient[],
  ledger: Ledger,
  filter: Parameters<Ledger['lost']>[0],
): Promise<void> {
  await Promise.all(
    receivers.map(async (receiver) => {
      let session: CspSession | undefined;
      await within(
        receiver.goOnline().then((online) => {
          session = online;
        }),
        30_000,
      );
      if (session) {
        // a dropped session is replaced by the client (the next login delivers the backlog again)
        await within(Promise.race([session.queueSendComplete, session.closed]), 30_000);
        await until(
          () => ledger.lost((r) => r.receiver === receiver.identity && (filter?.(r) ?? true)).length === 0,
          15_000,
        );
      }
      await receiver.goOffline();
    }),
  );
}

async function waitForQueueState(site: Site): Promise<WakeUpQueueState> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const state = await wakeUpQueueState(site.nats.monitorPort);
    if (state) return state;
    await sleep(200);
  }
  throw new Error('the push wake-up stream cannot be read from the NATS monitoring endpoint');
}

async function kill(site: Site, fault: Fault): Promise<void> {
  switch (fault) {
    case 'mailbox':
      return site.mailboxes[0].kill();
    case 'push':
      return site.push.kill();
    case 'directory':
      return site.directory.kill();
    case 'nats':
      return site.nats.crash();
    case 'postgres':
      return site.postgres.crash();
  }
}

async function restart(site: Site, fault: Fault): Promise<void> {
  switch (fault) {
    case 'mailbox':
      site.mailboxes[0].start();
      return;
    case 'push':
      site.push.start();
      return;
    case 'directory':
      site.directory.start();
      return;
    case 'nats':
      return site.nats.restart();
    case 'postgres':
      return site.postgres.restart();
  }
}
