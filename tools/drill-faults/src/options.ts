import { type DrillOptions, type Fault, FAULTS } from './drill';

/** The full run (`npm run drill:faults`): longer load per step than the CI pass. */
export const FULL_RUN: Omit<DrillOptions, 'log'> = {
  onlineClients: 16,
  offlineReceivers: 8,
  sendIntervalMs: 20,
  offlineIntervalMs: 200,
  preKillMs: 15_000,
  downtimeMs: 3_000,
  postRecoveryMs: 10_000,
  recoveryBoundMs: 60_000,
  wakeUpBoundMs: 30_000,
  settleBoundMs: 60_000,
  pushAckWaitMs: 5_000,
  faults: FAULTS,
};

/** The CI pass (the project's int-test): the same sequence with a small load. */
export const CI_RUN: Omit<DrillOptions, 'log'> = {
  ...FULL_RUN,
  onlineClients: 4,
  offlineReceivers: 3,
  sendIntervalMs: 50,
  offlineIntervalMs: 300,
  preKillMs: 3_000,
  downtimeMs: 1_000,
  postRecoveryMs: 2_000,
};

const FLAGS: Partial<Record<string, keyof Omit<DrillOptions, 'log' | 'faults'>>> = {
  '--online': 'onlineClients',
  '--offline': 'offlineReceivers',
  '--send-interval-ms': 'sendIntervalMs',
  '--offline-interval-ms': 'offlineIntervalMs',
  '--pre-kill-ms': 'preKillMs',
  '--downtime-ms': 'downtimeMs',
  '--post-recovery-ms': 'postRecoveryMs',
  '--recovery-bound-ms': 'recoveryBoundMs',
  '--wakeup-bound-ms': 'wakeUpBoundMs',
  '--settle-bound-ms': 'settleBoundMs',
  '--push-ack-wait-ms': 'pushAckWaitMs',
};

export const USAGE = `usage: drill:faults [--ci] [--faults ${FAULTS.join(',')}] ${Object.keys(FLAGS)
  .map((flag) => `[${flag} N]`)
  .join(' ')}`;

/** Parses the command line over the full-run defaults (`--ci` starts from the CI pass instead). */
export function parseOptions(argv: readonly string[]): Omit<DrillOptions, 'log'> {
  let options: Omit<DrillOptions, 'log'> = argv.includes('--ci') ? { ...CI_RUN } : { ...FULL_RUN };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--ci') continue;
    if (i + 1 >= argv.length) throw new Error(`${flag} needs a value\n${USAGE}`);
    i += 1;
    const value = argv[i];
    if (flag === '--faults') {
      const faults = value.split(',').filter((f) => f.length > 0);
      const unknown = faults.filter((f) => !(FAULTS as readonly string[]).includes(f));
      if (faults.length === 0 || unknown.length > 0)
        throw new Error(`--faults takes a comma-separated list of ${FAULTS.join(', ')}\n${USAGE}`);
      options = { ...options, faults: faults as Fault[] };
      continue;
    }
    const key = FLAGS[flag];
    if (key === undefined) throw new Error(`unknown option ${flag}\n${USAGE}`);
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0) throw new Error(`${flag} must be a whole number ≥ 0`);
    options = { ...options, [key]: number };
  }
  if (options.onlineClients < 2 || options.onlineClients % 2 !== 0)
    throw new Error('--online must be an even number ≥ 2 (clients alternate between the two mailboxes)');
  if (options.offlineReceivers < 1) throw new Error('--offline must be at least 1');
  return options;
}
