// Options of `npm run soak` (docs/operations/resilience/soak.md). Rates are per second and offered open-loop.

export interface SoakRates {
  /** messages between two online clients (1 KiB, flag 0x01) */
  readonly onlineMessages: number;
  /** messages to receivers that are offline, come online after their wake-up and drain */
  readonly offlineMessages: number;
  /** CSP logins of the reconnecting clients (log in, echo, close) */
  readonly logins: number;
  /** directory `GET identity/<ID>` */
  readonly lookups: number;
  /** directory `identity/fetch_bulk` with `bulkSize` IDs each */
  readonly bulkLookups: number;
  /** contact sync: `match_token` + `match` with linked and unknown phone hashes */
  readonly matches: number;
  /** `info` to `*MY3DATA` over CSP, answered with the JSON export */
  readonly exports: number;
}

export interface SoakOptions {
  readonly durationMs: number;
  /** samples before this are left out of the slopes (JIT, pools and caches filling up) */
  readonly warmupMs: number;
  readonly sampleIntervalMs: number;
  readonly rates: SoakRates;
  /** client pools */
  readonly onlinePairs: number;
  readonly offlineReceivers: number;
  /** how long an offline receiver stays offline before it waits for its wake-up and drains */
  readonly offlineWindowMs: number;
  /** online receivers log out and in again after this long (0: they stay connected for the whole run) */
  readonly receiverSessionMs: number;
  readonly loginClients: number;
  readonly linkedIdentities: number;
  readonly exporters: number;
  readonly bulkSize: number;
  /** unknown hashes sent with the linked ones in each match request */
  readonly unknownHashesPerMatch: number;
  /** how long the end waits for acknowledged messages still on their way */
  readonly drainTimeoutMs: number;
  /** print a progress line this often */
  readonly progressIntervalMs: number;
  readonly bounds: SlopeBounds;
  /** write the full report as JSON here */
  readonly jsonOut?: string;
}

/** The pass bounds for the per-process slopes after the warm-up (reasons in docs/adr/0024-soak.md). */
export interface SlopeBounds {
  readonly rssMiBPerHour: number;
  readonly heapMiBPerHour: number;
  readonly fdsPerHour: number;
  /** rise of the fd floor after the warm-up (lowest of the last third minus lowest of the first), per process */
  readonly fdGrowth: number;
  /**
   * Slopes are judged only when the window after the warm-up is at least this long: over a minute or two a
   * garbage-collected heap's saw-tooth is steeper than any leak bound, so short runs judge the fd growth only.
   */
  readonly minSlopeWindowMs: number;
}

/**
 * Half of what this shared 2-core machine sustained with the whole system and the harness running (probes of
 * 2026-11-27 in docs/operations/resilience/soak.md: at twice these rates acks took seconds and wake-ups were late).
 */
export const DEFAULT_RATES: SoakRates = {
  onlineMessages: 150,
  offlineMessages: 15,
  logins: 3,
  lookups: 100,
  bulkLookups: 5,
  matches: 1,
  exports: 0.25,
};

export const DEFAULT_BOUNDS: SlopeBounds = {
  rssMiBPerHour: 64,
  heapMiBPerHour: 32,
  fdsPerHour: 60,
  fdGrowth: 25,
  minSlopeWindowMs: 10 * 60_000,
};

export const DEFAULT_OPTIONS: SoakOptions = {
  durationMs: 30 * 60_000,
  warmupMs: 5 * 60_000,
  sampleIntervalMs: 10_000,
  rates: DEFAULT_RATES,
  onlinePairs: 50,
  offlineReceivers: 20,
  offlineWindowMs: 5_000,
  receiverSessionMs: 0,
  loginClients: 20,
  linkedIdentities: 20,
  exporters: 5,
  bulkSize: 20,
  unknownHashesPerMatch: 80,
  drainTimeoutMs: 60_000,
  progressIntervalMs: 60_000,
  bounds: DEFAULT_BOUNDS,
};

export class OptionsError extends Error {}

/** `30m`, `90s`, `1h`, `1500ms` or a plain number of seconds. */
export function parseDuration(text: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new OptionsError(`${name} must be a duration like 90s, 30m or 1h`);
  const [, amount, unit = 's'] = match;
  const value = Number(amount);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit] ?? 1000;
  const ms = Math.round(value * factor);
  if (ms <= 0) throw new OptionsError(`${name} must be longer than zero`);
  return ms;
}

function parseRate(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 100_000 || text.trim() === '')
    throw new OptionsError(`${name} must be a number of operations per second between 0 and 100000`);
  return value;
}

function parseCount(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new OptionsError(`${name} must be an integer between ${min} and ${max}`);
  return value;
}

const RATE_FLAGS: Partial<Record<string, keyof SoakRates>> = {
  '--online-rate': 'onlineMessages',
  '--offline-rate': 'offlineMessages',
  '--login-rate': 'logins',
  '--lookup-rate': 'lookups',
  '--bulk-rate': 'bulkLookups',
  '--match-rate': 'matches',
  '--export-rate': 'exports',
};

export const USAGE = `usage: npm run soak -- [options]
  --duration 30m          how long the load runs (ms, s, m, h; default 30m)
  --warmup 5m             left out of the slopes (default: a sixth of the duration, at most 5m)
  --sample-interval 10s   process sampling period
  --online-rate N         messages/s between online clients (default ${DEFAULT_RATES.onlineMessages})
  --offline-rate N        messages/s to offline receivers that drain after their wake-up (default ${DEFAULT_RATES.offlineMessages})
  --login-rate N          CSP logins/s of reconnecting clients (default ${DEFAULT_RATES.logins})
  --lookup-rate N         directory GET identity/s (default ${DEFAULT_RATES.lookups})
  --bulk-rate N           directory fetch_bulk/s, ${DEFAULT_OPTIONS.bulkSize} IDs each (default ${DEFAULT_RATES.bulkLookups})
  --match-rate N          contact-sync match_token+match/s (default ${DEFAULT_RATES.matches})
  --export-rate N         *MY3DATA exports/s (default ${DEFAULT_RATES.exports})
  --scale F               multiplies every rate (capacity probes)
  --online-pairs N        online sender/receiver pairs (default ${DEFAULT_OPTIONS.onlinePairs})
  --offline-receivers N   receivers cycling offline/online (default ${DEFAULT_OPTIONS.offlineReceivers})
  --receiver-session D    online receivers log out and in again after D (default 0: connected all along)
  --max-heap-slope MiB/h  bound for the V8 heap slope (default ${DEFAULT_BOUNDS.heapMiBPerHour})
  --max-rss-slope MiB/h   bound for the RSS slope (default ${DEFAULT_BOUNDS.rssMiBPerHour})
  --max-fd-slope N/h      bound for the open-file slope (default ${DEFAULT_BOUNDS.fdsPerHour})
  --max-fd-growth N       bound for the rise of the fd floor after the warm-up (default ${DEFAULT_BOUNDS.fdGrowth})
  --json-out FILE         also write the whole report as JSON`;

export function parseOptions(argv: readonly string[], base: SoakOptions = DEFAULT_OPTIONS): SoakOptions {
  const rates: Record<keyof SoakRates, number> = { ...base.rates };
  const bounds: Record<keyof SlopeBounds, number> = { ...base.bounds };
  let durationMs = base.durationMs;
  let warmupMs: number | undefined;
  let sampleIntervalMs = base.sampleIntervalMs;
  let scale = 1;
  let onlinePairs = base.onlinePairs;
  let offlineReceivers = base.offlineReceivers;
  let jsonOut = base.jsonOut;
  let receiverSessionMs = base.receiverSessionMs;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] ?? '';
    const value = argv.at(i + 1);
    if (flag === '--help' || flag === '-h') throw new OptionsError(USAGE);
    if (value === undefined || value.startsWith('--'))
      throw new OptionsError(`${flag} needs a value\n${USAGE}`);
    i += 1;
    const rateKey = RATE_FLAGS[flag];
    if (rateKey) {
      rates[rateKey] = parseRate(value, flag);
      continue;
    }
    switch (flag) {
      case '--duration':
        durationMs = parseDuration(value, flag);
        break;
      case '--warmup':
        warmupMs = parseDuration(value, flag);
        break;
      case '--sample-interval':
        sampleIntervalMs = parseDuration(value, flag);
        break;
      case '--scale':
        scale = parseRate(value, flag);
        break;
      case '--online-pairs':
        onlinePairs = parseCount(value, flag, 1, 5000);
        break;
      case '--offline-receivers':
        offlineReceivers = parseCount(value, flag, 1, 1000);
        break;
      case '--max-heap-slope':
        bounds.heapMiBPerHour = parseRate(value, flag);
        break;
      case '--max-rss-slope':
        bounds.rssMiBPerHour = parseRate(value, flag);
        break;
      case '--max-fd-slope':
        bounds.fdsPerHour = parseRate(value, flag);
        break;
      case '--max-fd-growth':
        bounds.fdGrowth = parseCount(value, flag, 0, 1_000_000);
        break;
      case '--receiver-session':
        receiverSessionMs = value === '0' ? 0 : parseDuration(value, flag);
        break;
      case '--json-out':
        jsonOut = value;
        break;
      default:
        throw new OptionsError(`unknown option ${flag}\n${USAGE}`);
    }
  }
  for (const key of Object.keys(rates) as (keyof SoakRates)[]) rates[key] *= scale;
  const warmup = warmupMs ?? Math.min(5 * 60_000, Math.round(durationMs / 6));
  if (warmup >= durationMs) throw new OptionsError('--warmup must be shorter than --duration');
  if (sampleIntervalMs * 3 > durationMs - warmup)
    throw new OptionsError('--sample-interval must allow at least three samples after the warm-up');
  return {
    ...base,
    durationMs,
    warmupMs: warmup,
    sampleIntervalMs,
    rates,
    onlinePairs,
    offlineReceivers,
    receiverSessionMs,
    bounds,
    ...(jsonOut === undefined ? {} : { jsonOut }),
  };
}
