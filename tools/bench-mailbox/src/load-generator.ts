// The mailbox load generator: a separate process built on the client SDK (real handshakes, transport encryption,
// 1 KiB bodies). Usage: load-generator <scenario> <identities.jsonl> <host> <port> <server-public-key-hex> [args]
// Prints one JSON line with the scenario's figures; for `idle` it prints {"ready":true} and waits for stdin EOF, for
// `logins` {"warm":true} after its warm-up and waits for a line on stdin before the timed logins.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { connectCsp, type CspSession, type IncomingCspMessage } from '@ots/client';
import { randomBytes } from '@ots/crypto';
import { encodeMessageWithMetadataBox } from '@ots/protocol';

import { summarise } from './stats';

interface Identity {
  readonly identity: string;
  readonly secretKey: Uint8Array;
}

const [scenario, identitiesFile, host, portText, serverKeyHex, ...args] = process.argv.slice(2);
if (!scenario || !identitiesFile || !host || !portText || !serverKeyHex) {
  process.stderr.write(
    'usage: load-generator <scenario> <identities.jsonl> <host> <port> <server-key-hex> [args]\n',
  );
  process.exit(64);
}
const port = Number(portText);
const serverPublicKey = Buffer.from(serverKeyHex, 'hex');
const identities: Identity[] = readFileSync(identitiesFile, 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => {
    const parsed = JSON.parse(line) as { identity: string; secretKey: string };
    return { identity: parsed.identity, secretKey: Buffer.from(parsed.secretKey, 'hex') };
  });

const BODY = 1024;
let nextMessageId = BigInt(Date.now()) << 20n;

function login(user: Identity): Promise<CspSession> {
  return connectCsp({
    host,
    port,
    serverPublicKey,
    identity: user.identity,
    secretKey: user.secretKey,
    timeoutMs: 60_000,
  });
}

/**
 * Random bytes drawn once: each body is a copy of 1 KiB from a moving offset, so the generator spends its CPU on
 * the protocol rather than on the random generator (bodies are opaque ciphertext to the server either way).
 */
const RANDOM_POOL = randomBytes(64 * 1024);
let poolOffset = 0;

/** A 1 KiB message whose box starts with the send time (performance.now, float64) for latency measurements. */
function message(sender: string, receiver: string, flags = 0x01): Uint8Array {
  nextMessageId += 1n;
  poolOffset = (poolOffset + 97) % (RANDOM_POOL.length - BODY);
  const box = new Uint8Array(RANDOM_POOL.subarray(poolOffset, poolOffset + BODY)); // a copy: the time goes in
  new DataView(box.buffer, box.byteOffset).setFloat64(0, performance.now(), true);
  return encodeMessageWithMetadataBox({
    senderIdentity: sender,
    receiverIdentity: receiver,
    messageId: nextMessageId,
    createdAt: Math.floor(Date.now() / 1000),
    flags,
    legacySenderNickname: new Uint8Array(32),
    metadataContainer: new Uint8Array(0),
    nonce: RANDOM_POOL.subarray(poolOffset + BODY - 24, poolOffset + BODY),
    messageBox: box,
  });
}

/** Send time carried in an incoming struct (metadata length 0: the box starts at offset 88). */
function sentAt(incoming: IncomingCspMessage): number {
  return new DataView(incoming.struct.buffer, incoming.struct.byteOffset + 88, 8).getFloat64(0, true);
}

/** Runs `work` for each of `users`, `concurrency` at a time, in order of index. */
async function forEachUser(
  users: readonly Identity[],
  concurrency: number,
  work: (user: Identity, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < users.length) {
        const index = next++;
        await work(users[index], index);
      }
    }),
  );
}

async function loginAll(users: readonly Identity[], concurrency: number): Promise<CspSession[]> {
  const sessions: CspSession[] = new Array<CspSession>(users.length);
  await forEachUser(users, concurrency, async (user, index) => {
    sessions[index] = await login(user);
  });
  return sessions;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function closedLoop(pairs: number, inFlight: number, seconds: number): Promise<object> {
  const senders = await loginAll(identities.slice(0, pairs), 50);
  const receivers = await loginAll(identities.slice(pairs, 2 * pairs), 50);
  let delivered = 0;
  for (const receiver of receivers) {
    receiver.onMessage((incoming) => {
      delivered += 1;
      incoming.ack();
    });
  }
  let running = true;
  const loops = senders.map(async (sender, index) => {
    const to = receivers[index].identity;
    const from = sender.identity;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (running) await sender.sendMessage(message(from, to));
      }),
    );
  });
  await sleep(3_000); // warm-up
  const startCount = delivered;
  const started = performance.now();
  await sleep(seconds * 1000);
  const rate = ((delivered - startCount) * 1000) / (performance.now() - started);
  running = false;
  await Promise.all(loops);
  await Promise.all([...senders, ...receivers].map((s) => s.close()));
  return { scenario: 'closed-loop', pairs, inFlight, deliveredPerSecond: Math.round(rate) };
}

async function openLoop(pairs: number, ratePerSecond: number, seconds: number): Promise<object> {
  const senders = await loginAll(identities.slice(0, pairs), 50);
  const receivers = await loginAll(identities.slice(pairs, 2 * pairs), 50);
  const latencies: number[] = [];
  let measuring = false;
  for (const receiver of receivers) {
    receiver.onMessage((incoming) => {
      if (measuring) latencies.push(performance.now() - sentAt(incoming));
      incoming.ack();
    });
  }
  // a fixed schedule: every tick sends what is due since the start, round-robin over the pairs
  const run = async (durationMs: number): Promise<number> => {
    const start = performance.now();
    let sent = 0;
    let pair = 0;
    while (performance.now() - start < durationMs) {
      const due = Math.floor(((performance.now() - start) * ratePerSecond) / 1000);
      while (sent < due) {
        const sender = senders[pair];
        void sender.sendMessage(message(sender.identity, receivers[pair].identity)).catch(() => undefined);
        pair = (pair + 1) % pairs;
        sent += 1;
      }
      await sleep(1);
    }
    return sent;
  };
  await run(2_000); // warm-up
  measuring = true;
  const sent = await run(seconds * 1000);
  await sleep(1_000);
  measuring = false;
  await Promise.all([...senders, ...receivers].map((s) => s.close()));
  const summary = summarise(latencies);
  return {
    scenario: 'open-loop',
    pairs,
    offeredPerSecond: ratePerSecond,
    sent,
    received: summary.count,
    latencyMs: { p50: round(summary.p50), p99: round(summary.p99), max: round(summary.max) },
  };
}

async function offline(receiversCount: number, total: number): Promise<object> {
  const senderUsers = identities.slice(0, receiversCount);
  const receiverUsers = identities.slice(receiversCount, 2 * receiversCount);
  const senders = await loginAll(senderUsers, 50);
  const sentIds = new Map<string, Set<bigint>>();
  const perSender = Math.ceil(total / senders.length);
  const started = performance.now();
  await Promise.all(
    senders.map(async (sender, index) => {
      const to = receiverUsers[index % receiverUsers.length].identity;
      const ids = sentIds.get(to) ?? new Set<bigint>();
      sentIds.set(to, ids);
      const window = new Set<Promise<void>>();
      for (let i = 0; i < perSender; i += 1) {
        const struct = message(sender.identity, to);
        ids.add(new DataView(struct.buffer, struct.byteOffset + 16, 8).getBigUint64(0, true));
        const promise = sender.sendMessage(struct);
        window.add(promise);
        void promise.finally(() => window.delete(promise));
        if (window.size >= 50) await Promise.race(window);
      }
      await Promise.all(window);
    }),
  );
  const acceptSeconds = (performance.now() - started) / 1000;
  const accepted = perSender * senders.length;
  await Promise.all(senders.map((s) => s.close()));

  let delivered = 0;
  let mismatched = 0;
  const drainStart = performance.now();
  await Promise.all(
    receiverUsers.map(async (user) => {
      const session = await login(user);
      const expected = sentIds.get(user.identity) ?? new Set<bigint>();
      const got = new Set<bigint>();
      session.onMessage((incoming) => {
        if (!expected.has(incoming.messageId)) mismatched += 1;
        got.add(incoming.messageId);
        delivered += 1;
        incoming.ack();
      });
      await session.queueSendComplete;
      if (got.size !== expected.size) mismatched += Math.abs(expected.size - got.size);
      await session.close();
    }),
  );
  const drainSeconds = (performance.now() - drainStart) / 1000;
  return {
    scenario: 'offline',
    receivers: receiversCount,
    accepted,
    acceptPerSecond: Math.round(accepted / acceptSeconds),
    delivered,
    drainPerSecond: Math.round(delivered / drainSeconds),
    deliveredEqualsSent: delivered === accepted && mismatched === 0,
  };
}

/** Logs `users` in, `concurrency` at a time, closing each session once login-ack has arrived. */
function loginAndClose(users: readonly Identity[], concurrency: number): Promise<void> {
  return forEachUser(users, concurrency, async (user) => {
    void (await login(user)).close();
  });
}

/** Resolves on the first line of stdin (the orchestrator's signal); rejects if stdin ends without one. */
function untilTold(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  return new Promise((resolve, reject) => {
    lines.once('line', () => {
      resolve();
      lines.close();
    });
    lines.once('close', () => {
      reject(new Error('stdin ended before the signal to start the timed logins'));
    });
  });
}

/**
 * (d): `count` logins, `concurrency` at a time. First `warmup` logins of other identities (the last of the file,
 * which no other scenario uses), so that this process's code is compiled before it is measured, as the server's
 * is (it stands for thousands of client devices, whose start-up is none of the server's cost); then it prints
 * {"warm":true} and waits for a line on stdin, where the orchestrator has read every process's CPU.
 */
async function logins(count: number, concurrency: number, warmup: number): Promise<object> {
  if (count + warmup > identities.length) {
    throw new Error(
      `${String(count + warmup)} logins need as many identities (${String(identities.length)})`,
    );
  }
  await loginAndClose(identities.slice(identities.length - warmup), concurrency);
  process.stdout.write(`${JSON.stringify({ warm: true, warmupLogins: warmup })}\n`);
  await untilTold();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await loginAndClose(identities.slice(0, count), concurrency);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    scenario: 'logins',
    logins: count,
    concurrency,
    warmupLogins: warmup,
    loginsPerSecond: Math.round(count / seconds),
    // this process's CPU over the timed logins alone, for the per-login figures
    generatorCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

async function idle(count: number, offset: number): Promise<object> {
  const sessions = await loginAll(identities.slice(offset, offset + count), 100);
  process.stdout.write(`${JSON.stringify({ ready: true, connections: sessions.length })}\n`);
  // hold them until the orchestrator has measured and closes our stdin
  await new Promise<void>((resolve) => {
    createInterface({ input: process.stdin }).on('close', resolve);
  });
  await Promise.all(sessions.map((s) => s.close()));
  return { scenario: 'idle', connections: count };
}

const round = (value: number) => Math.round(value * 100) / 100;
const numberArg = (index: number, fallback: number) => Number(args[index] ?? fallback);

async function main(): Promise<object> {
  switch (scenario) {
    case 'closed':
      return closedLoop(numberArg(0, 500), numberArg(1, 10), numberArg(2, 15));
    case 'open':
      return openLoop(numberArg(0, 500), numberArg(1, 5000), numberArg(2, 10));
    case 'offline':
      return offline(numberArg(0, 200), numberArg(1, 20_000));
    case 'logins':
      return logins(
        numberArg(0, 2000),
        numberArg(1, 50),
        numberArg(2, Number(process.env.BENCH_LOGIN_WARMUP ?? '1000')),
      );
    case 'idle':
      return idle(numberArg(0, 20_000), numberArg(1, 0));
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
