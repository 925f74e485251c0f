// One two-site failover drill (issue 9 part 1): real PostgreSQL (primary at A, synchronous standby at B), a NATS
// supercluster, directory and mailbox at both sites, SDK clients at both sites sending to each other. Site A is
// killed with SIGKILL mid-load, and the drill performs "Failover (unplanned)" of docs/operations/two-sites.md.
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateX25519KeyPair, randomBytes } from '@ots/crypto';
import { findWorkspaceRoot, runMigrations, SERVICE_DATABASES } from '@ots/db-tools';
import { MessageFlag } from '@ots/protocol';
import { cleanupRegistry, postgresUrl, startTcpRelay, waitFor } from '@ots/testing';
import { Client } from 'pg';

import { DrillClient, type DrillUser, type Endpoint, type Target } from './drill-client';
import { DeliveryLedger, type LedgerCounts } from './ledger';
import {
  gatewaysConnected,
  natsHealth,
  type NatsSite,
  type Site,
  startNatsSupercluster,
} from './nats-supercluster';
import {
  promoteAndRelax,
  replicationState,
  startSyncPair,
  type SyncPair,
  waitForSyncStandby,
} from './postgres-pair';
import { mailboxCounter, type SiteServices, startSiteServices } from './site-services';

export interface DrillOptions {
  /** SDK clients per site (each sends to one peer at the other site and one at its own) */
  readonly clientsPerSite: number;
  /**
   * receivers per site that stay offline until after the failover: what is sent to them is only in the queue,
   * so they prove that acknowledged messages stored at A are in B's database (RPO 0)
   */
  readonly lateReceiversPerSite: number;
  /**
   * a silent site loss: the database name's connections to A hang instead of being reset (a WAN partition rather
   * than a dead process next door)
   */
  readonly silentSiteLoss?: boolean;
  /** negative control: B does not replicate at all, and the drill must report lost messages */
  readonly withoutReplication?: boolean;
  /** new messages per second per client */
  readonly ratePerClient: number;
  /** load before the kill */
  readonly loadBeforeKillMs: number;
  /** load kept up after every client is back, before the drain */
  readonly loadAfterRecoveryMs: number;
  /** the recovery must happen within this (the acceptance limit for the RTO) */
  readonly rtoLimitMs: number;
  readonly log: (line: string) => void;
}

export interface DrillResult {
  readonly passed: boolean;
  readonly failures: readonly string[];
  readonly counts: LedgerCounts;
  /** kill → first delivery at site B of a message sent after the kill */
  readonly rtoMs: number | undefined;
  /** kill → every client has had a message acknowledged again */
  readonly allClientsBackMs: number | undefined;
  /** kill → promotion done (step 3) and database name moved (step 4) */
  readonly promotedMs: number;
  readonly repointedMs: number;
  readonly killedProcesses: number;
  /** presence check across the gateway: A → B online delivery time, and an offline receiver's wake-up time */
  readonly crossSiteOnlineDeliveryMs: number | undefined;
  readonly offlineWakeUpMs: number | undefined;
  readonly wakeUpsWhileOnline: number;
  /** site B's NATS /healthz once the clients are back (JetStream needs a meta-group quorum across both sites) */
  readonly jetStreamAtB: string;
  readonly setupMs: number;
  readonly totalMs: number;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WAKE_UPS = 'ots_mailbox_wakeups_total';
/** the mailbox assumes "online" when a presence request gets no answer within 3 s (nats-router.ts) */
const PRESENCE_TIMEOUT_MS = 3_000;

function randomIdentity(): string {
  const bytes = randomBytes(7);
  return `D${Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')}`;
}

function makeUsers(
  perSite: number,
  latePerSite: number,
): { users: DrillUser[]; late: DrillUser[]; offline: string } {
  const seen = new Set<string>();
  const fresh = (): string => {
    let id = randomIdentity();
    while (seen.has(id)) id = randomIdentity();
    seen.add(id);
    return id;
  };
  const user = (home: Site): DrillUser => {
    const pair = generateX25519KeyPair();
    return { identity: fresh(), secretKey: pair.secretKey, publicKey: pair.publicKey, home };
  };
  const users: DrillUser[] = [];
  const late: DrillUser[] = [];
  for (const home of ['site-a', 'site-b'] as const) {
    for (let i = 0; i < perSite; i += 1) users.push(user(home));
    for (let i = 0; i < latePerSite; i += 1) late.push(user(home));
  }
  return { users, late, offline: fresh() };
}

async function seedIdentities(
  databaseUrl: string,
  entries: readonly { identity: string; publicKey: Uint8Array }[],
): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO directory.identity (id, public_key, server_group) SELECT id, key, '00' FROM unnest($1::text[], $2::bytea[]) AS t(id, key)`,
      [entries.map((entry) => entry.identity), entries.map((entry) => Buffer.from(entry.publicKey))],
    );
  } finally {
    await client.end();
  }
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);

export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const { log } = options;
  const started = performance.now();
  const now = () => performance.now();
  const root = findWorkspaceRoot();
  const work = await mkdtemp(join(tmpdir(), 'ots-drill-failover-'));
  // the temp dir holds the chat server's test key: removed on SIGINT/SIGTERM and exit too
  const untrackWork = cleanupRegistry.track({
    description: work,
    stop: () => rm(work, { recursive: true, force: true }),
    killNow: () => {
      rmSync(work, { recursive: true, force: true });
    },
  });
  const cleanups: (() => Promise<unknown>)[] = [];
  const failures: string[] = [];
  const clients: DrillClient[] = [];
  const serviceLogs: string[] = [];
  try {
    const password = Buffer.from(randomBytes(12)).toString('hex');
    const serverKeys = generateX25519KeyPair();
    const cspKeyFile = join(work, 'csp.key');
    await writeFile(cspKeyFile, Buffer.from(serverKeys.secretKey).toString('hex'), { mode: 0o600 });
    const { users, late, offline } = makeUsers(options.clientsPerSite, options.lateReceiversPerSite);

    // PostgreSQL: primary at A, synchronous standby at B, checked through pg_stat_replication
    const offlineKeys = generateX25519KeyPair();
    const replicate = options.withoutReplication !== true;
    const pair: SyncPair = await startSyncPair({
      password,
      database: 'ots',
      replicate,
      prepare: async (url) => {
        await runMigrations({
          databaseUrl: url,
          services: SERVICE_DATABASES.filter((database) => database.service !== 'push'),
        });
        await seedIdentities(url, [
          ...users,
          ...late,
          { identity: offline, publicKey: offlineKeys.publicKey },
        ]);
      },
    });
    cleanups.push(
      () => pair.primary.stop(),
      () => pair.standby.stop(),
    );
    if (replicate) await waitForSyncStandby(pair.primary, 30_000);
    else log('  CONTROL: site B does not replicate from A; this run must FAIL with lost messages');
    const replication = (await replicationState(pair.primary))
      .map((row) => `${row.applicationName} ${row.state}/${row.syncState}`)
      .join(', ');
    log(`  postgres: primary at A, standby at B; pg_stat_replication on A: ${replication}`);

    // NATS: one JetStream server per site, joined by gateways
    const nats: Record<Site, NatsSite> = await startNatsSupercluster();
    cleanups.push(
      () => nats['site-a'].stop(),
      () => nats['site-b'].stop(),
    );
    await waitFor(
      async () =>
        (await gatewaysConnected(nats['site-a'], 'site-b')) &&
        (await gatewaysConnected(nats['site-b'], 'site-a')),
      { timeoutMs: 30_000, intervalMs: 100, description: 'gateways connected both ways (/gatewayz)' },
    );
    log('  nats: /gatewayz shows site-a ⇄ site-b connected (outbound and inbound)');

    // the database name, pointing at A's primary
    const proxy = await startTcpRelay(pair.primary.port);
    cleanups.push(() => proxy.close());
    const databaseUrl = postgresUrl({ user: 'postgres', password, port: proxy.port, database: 'ots' });

    const [servicesA, servicesB]: SiteServices[] = await Promise.all(
      (['site-a', 'site-b'] as const).map((site) =>
        startSiteServices(root, site, { natsUrl: nats[site].url, databaseUrl, cspSecretKeyFile: cspKeyFile }),
      ),
    );
    cleanups.push(
      () => servicesA.stop(),
      () => servicesB.stop(),
    );
    cleanups.push(() => {
      for (const { name, process: child } of [...servicesA.processes, ...servicesB.processes])
        serviceLogs.push(`== ${name}`, child.stdout(), child.stderr());
      return Promise.resolve();
    });
    log('  services: directory and mailbox ready at both sites');

    // clients: A_i → B_i, A_i+1 and a late receiver; B_i → A_i+1, B_i+1 and a late receiver (cross-site and
    // same-site pairs; messages to online peers ask for a push, so the mailbox asks NATS who holds the receiver)
    const ledger = new DeliveryLedger();
    const perSite = options.clientsPerSite;
    const atA = users.filter((user) => user.home === 'site-a');
    const atB = users.filter((user) => user.home === 'site-b');
    const endpointA: Endpoint = { site: 'site-a', port: servicesA.cspPort };
    const endpointB: Endpoint = { site: 'site-b', port: servicesB.cspPort };
    const clientOptions = (index: number) => ({
      serverPublicKey: serverKeys.publicKey,
      ratePerSecond: options.ratePerClient,
      window: 8,
      ackTimeoutMs: 10_000,
      idPrefix: (BigInt(index + 1) << 40n) | (BigInt(Date.now() & 0xffff) << 24n),
      now,
    });
    const endpointsOf = (user: DrillUser) =>
      user.home === 'site-a' ? [endpointA, endpointB] : [endpointB, endpointA];
    const online = (user: DrillUser): Target => ({
      identity: user.identity,
      flags: MessageFlag.SEND_PUSH_NOTIFICATION,
    });
    const queued = (index: number): Target[] =>
      late.length === 0 ? [] : [{ identity: late[index % late.length].identity, flags: 0 }];
    atA.forEach((user, i) => {
      const targets = [online(atB[i]), online(atA[(i + 1) % perSite]), ...queued(2 * i)];
      clients.push(new DrillClient(user, targets, endpointsOf(user), ledger, clientOptions(clients.length)));
    });
    atB.forEach((user, i) => {
      const targets = [online(atA[(i + 1) % perSite]), online(atB[(i + 1) % perSite]), ...queued(2 * i + 1)];
      clients.push(new DrillClient(user, targets, endpointsOf(user), ledger, clientOptions(clients.length)));
    });
    const lateClients = late.map(
      (user) =>
        new DrillClient(
          user,
          [],
          endpointsOf(user),
          ledger,
          clientOptions(clients.length + late.indexOf(user)),
        ),
    );
    cleanups.push(() => Promise.all([...clients, ...lateClients].map((client) => client.stop())));
    for (const client of clients) client.start();
    await waitFor(() => clients.every((client) => client.connected), {
      timeoutMs: 30_000,
      intervalMs: 50,
      description: 'every client logged in at its home site',
    });
    const setupMs = now() - started;
    log(
      `  clients: ${String(clients.length)} logged in (${String(perSite)} per site); setup took ${seconds(setupMs)}`,
    );

    // presence across the gateway (mailbox nats-router): sender at A, receiver online at B → delivered live, no
    // wake-up; receiver online nowhere → "no responders" comes back through the gateway and a wake-up is queued
    const senderAtA = clients[0];
    const receiverAtB = atB[0].identity;
    const probeStart = now();
    const probeKey = await senderAtA.sendOnce(receiverAtB, MessageFlag.SEND_PUSH_NOTIFICATION);
    let crossSiteOnlineDeliveryMs: number | undefined;
    try {
      await waitFor(() => ledger.isDelivered(probeKey), {
        timeoutMs: 5_000,
        intervalMs: 5,
        description: 'probe',
      });
      crossSiteOnlineDeliveryMs = now() - probeStart;
    } catch {
      failures.push(
        'presence: a message from site A to a receiver online at site B was not delivered within 5 s',
      );
    }
    const wakeUpsBefore = await mailboxCounter(servicesA, WAKE_UPS);
    const offlineStart = now();
    await senderAtA.sendOnce(offline, MessageFlag.SEND_PUSH_NOTIFICATION, false);
    let offlineWakeUpMs: number | undefined;
    try {
      await waitFor(async () => (await mailboxCounter(servicesA, WAKE_UPS)) > wakeUpsBefore, {
        timeoutMs: PRESENCE_TIMEOUT_MS + 2_000,
        intervalMs: 20,
        description: 'wake-up for an offline receiver',
      });
      offlineWakeUpMs = now() - offlineStart;
      if (offlineWakeUpMs >= PRESENCE_TIMEOUT_MS)
        failures.push(`presence: the offline answer took ${seconds(offlineWakeUpMs)} (presence timeout)`);
    } catch {
      failures.push(
        'presence: no wake-up for a receiver online nowhere (no "no responders" across the gateway)',
      );
    }

    // load, then the kill
    const wakeUpsOnlineStart =
      (await mailboxCounter(servicesA, WAKE_UPS)) + (await mailboxCounter(servicesB, WAKE_UPS));
    for (const client of clients) client.setProducing(true);
    await new Promise((resolve) => setTimeout(resolve, options.loadBeforeKillMs));
    const wakeUpsWhileOnline =
      (await mailboxCounter(servicesA, WAKE_UPS)) +
      (await mailboxCounter(servicesB, WAKE_UPS)) -
      wakeUpsOnlineStart;
    if (wakeUpsWhileOnline > 0)
      failures.push(
        `presence: ${String(wakeUpsWhileOnline)} wake-ups queued while every receiver was online`,
      );
    const beforeKill = ledger.counts();
    log(
      `  load before the kill: ${String(beforeKill.acked)} acknowledged, ${String(beforeKill.delivered)} delivered; A→B online delivery ${seconds(crossSiteOnlineDeliveryMs)}, offline wake-up ${seconds(offlineWakeUpMs)}, wake-ups while online ${String(wakeUpsWhileOnline)}`,
    );

    // Failover (unplanned). Steps 1–2: site A is lost — every site-A process gets SIGKILL at once
    if (options.silentSiteLoss) proxy.silence();
    const killAt = now();
    ledger.recordKill(killAt);
    for (const client of clients) client.markKill(killAt);
    let killedProcesses = pair.primary.kill();
    nats['site-a'].kill();
    servicesA.kill();
    killedProcesses += 1 + servicesA.processes.length;
    // step 1 (confirm the loss): A's database and NATS no longer answer
    const siteAGone = await Promise.all([
      pair.primary.query('SELECT 1').then(
        () => false,
        () => true,
      ),
      natsHealth(nats['site-a']).then(
        () => false,
        () => true,
      ),
    ]);
    if (!siteAGone.every(Boolean)) failures.push('site A still answers after the kill');
    // step 3: promote B without a token; durability "preferred" (synchronous_standby_names = '')
    await promoteAndRelax(pair.standby);
    const promotedMs = now() - killAt;
    // step 4: move the database name to B
    proxy.repoint(pair.standby.port);
    const repointedMs = now() - killAt;
    log(
      `  failover: killed ${String(killedProcesses)} site-A processes; B promoted after ${seconds(promotedMs)}, database name moved after ${seconds(repointedMs)}`,
    );

    // step 5: check — deliveries at B resume and every client works again (at site B)
    try {
      await waitFor(
        () =>
          ledger.rtoMs !== undefined && clients.every((client) => client.firstAckAfterKillAtMs !== undefined),
        { timeoutMs: 60_000, intervalMs: 20, description: 'recovery' },
      );
    } catch {
      failures.push('recovery: not every client had a message acknowledged within 60 s of the kill');
    }
    const backTimes = clients.map((client) => client.firstAckAfterKillAtMs);
    const allClientsBackMs = backTimes.every((at) => at !== undefined)
      ? Math.max(...backTimes.map((at) => at - killAt))
      : undefined;
    log(
      `  recovered: first delivery at B after ${seconds(ledger.rtoMs)}, every client acknowledged again after ${seconds(allClientsBackMs)}`,
    );
    // the late receivers come online now, at site B, and must find their backlog there
    for (const client of lateClients) client.start();
    await new Promise((resolve) => setTimeout(resolve, options.loadAfterRecoveryMs));
    const jetStreamAtB = await natsHealth(nats['site-b']).catch((error: unknown) => String(error));

    // drain: no new messages; senders resend until acknowledged; wait for every acknowledged message
    for (const client of clients) client.setProducing(false);
    try {
      await waitFor(() => ledger.settled && clients.every((client) => client.unacknowledged === 0), {
        timeoutMs: 60_000,
        intervalMs: 50,
        description: 'drain',
      });
    } catch {
      // the counts below say what is missing
    }
    const everyone = [...clients, ...lateClients];
    const onB = everyone.filter((client) => client.connectedSite === 'site-b').length;
    if (onB !== everyone.length)
      failures.push(`reconnect: ${String(everyone.length - onB)} clients did not log in at site B last`);
    await Promise.all(everyone.map((client) => client.stop()));
    for (const { name, process: child } of servicesB.processes) {
      if (child.child.exitCode !== null || child.child.signalCode !== null)
        failures.push(`${name} exited during the drill: ${child.stderr().split('\n').slice(-5).join(' | ')}`);
    }

    const counts = ledger.counts();
    const rtoMs = ledger.rtoMs;
    log(
      `  after the drain: ${String(counts.delivered)} of ${String(counts.acked)} acknowledged messages delivered (${String(lateClients.length)} receivers fetched their backlog at B); NATS at B /healthz: ${jetStreamAtB}`,
    );
    if (counts.lost > 0) failures.push(`${String(counts.lost)} acknowledged messages were never delivered`);
    if (counts.unexpected > 0) failures.push(`${String(counts.unexpected)} deliveries were never sent`);
    if (counts.unacknowledged > 0)
      failures.push(
        `${String(counts.unacknowledged)} messages were never acknowledged, even after resending`,
      );
    if (rtoMs === undefined) failures.push('no delivery at site B after the kill');
    else if (rtoMs >= options.rtoLimitMs)
      failures.push(`RTO ${seconds(rtoMs)} is not under ${seconds(options.rtoLimitMs)}`);
    return {
      passed: failures.length === 0,
      failures,
      counts,
      rtoMs,
      allClientsBackMs,
      promotedMs,
      repointedMs,
      killedProcesses,
      crossSiteOnlineDeliveryMs,
      offlineWakeUpMs,
      wakeUpsWhileOnline,
      jetStreamAtB,
      setupMs,
      totalMs: now() - started,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (process.env.DRILL_FAILOVER_LOG_FILE) {
      // the services' own output (JSON logs, level warn) of the last run, for an operator who wants to look
      await writeFile(process.env.DRILL_FAILOVER_LOG_FILE, serviceLogs.join('\n')).catch(() => undefined);
    }
    await rm(work, { recursive: true, force: true });
    untrackWork();
  }
}
