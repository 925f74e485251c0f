import {
  booleanFlag,
  commonEnv,
  host,
  hostPort,
  httpPortEnv,
  loadConfig,
  port,
  positiveInt,
  secretKeyFile,
  url,
} from '@ots/config';
import { z } from 'zod';

export const mailboxEnv = {
  ...commonEnv,
  ...httpPortEnv(8102),
  DATABASE_URL: url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: port().default(10),
  DIRECTORY_GRPC_URL: hostPort(),
  PUSH_GRPC_URL: hostPort(),
  GRPC_HOST: host().default('0.0.0.0'),
  GRPC_PORT: port().default(9102),
  /** the chat server's permanent X25519 secret key (spec §1.2 SK), 64 hex characters in a mounted file */
  CSP_SERVER_SECRET_KEY_FILE: secretKeyFile(32),
  // spec §1.1 chat server over plain TCP (clients try 5222, then 443)
  CSP_HOST: host().default('0.0.0.0'),
  CSP_PORT: port().default(5222),
  /** a client must finish the handshake within this time or is disconnected */
  CSP_HANDSHAKE_TIMEOUT_MS: positiveInt().default(10_000),
  /** spec §1.1 default idle timeout (a client may choose 30..600 s with payload 0x30) */
  CSP_IDLE_TIMEOUT_S: z.coerce.number().int().min(30).max(600).default(300),
  /** spec §1.3 legacy vouch (old Android clients): a compatibility switch, off by default */
  CSP_ALLOW_LEGACY_VOUCH: booleanFlag().default('false'),
  /** failed logins allowed per source address and per identity, each per minute (counters in memory) */
  CSP_LOGIN_FAILURES_PER_SOURCE_PER_MINUTE: positiveInt().default(60),
  CSP_LOGIN_FAILURES_PER_IDENTITY_PER_MINUTE: positiveInt().default(20),
  /** architecture: undelivered messages expire after this many days */
  MAILBOX_RETENTION_DAYS: positiveInt().default(14),
  /** queued messages per receiver; further messages are refused without an ack (docs/adr/0009) */
  MAILBOX_QUEUE_QUOTA: positiveInt().default(10_000),
  /** at most this many messages in one group commit */
  MAILBOX_STORE_MAX_BATCH: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /**
   * group commits in flight at once (each on its own connection; deletes get half as many). Few and large beats
   * many and small: every concurrent transaction is a PostgreSQL process competing for the CPU (docs/adr/0027)
   */
  MAILBOX_STORE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * keep the directory's identities (key and state) in memory, about 100 bytes each: a login or a receiver check
   * then needs no call to the directory, and logins go on while it is down (docs/adr/0030)
   */
  MAILBOX_IDENTITY_REPLICA: booleanFlag().default('true'),
  /**
   * the replica walks the whole directory again this often (and after every NATS reconnect): the longest a lost
   * revocation event could go unnoticed
   */
  MAILBOX_IDENTITY_RESYNC_MINUTES: z.coerce.number().int().min(1).max(1_440).default(10),
  /** messages delivered and not yet acknowledged per connection before delivery waits for acks */
  MAILBOX_DELIVERY_WINDOW: z.coerce.number().int().min(1).max(100_000).default(1_000),
} as const;

export type MailboxConfig = ReturnType<typeof loadMailboxConfig>;

export function loadMailboxConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(mailboxEnv, env);
}

export const MAILBOX_CONFIG = Symbol('MAILBOX_CONFIG');
