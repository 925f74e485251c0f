// `npm run drill:failover -- [--runs N] [--clients-per-site N] [--rate N] [--load-before-kill-s N]
//  [--load-after-recovery-s N] [--rto-limit-s N] [--late-receivers-per-site N] [--control-without-replication]
//  [--silent-site-loss]`

export interface DrillCliOptions {
  readonly runs: number;
  readonly clientsPerSite: number;
  readonly ratePerClient: number;
  readonly loadBeforeKillS: number;
  readonly loadAfterRecoveryS: number;
  readonly rtoLimitS: number;
  readonly lateReceiversPerSite: number;
  /** negative control: site B does not replicate, so the drill must fail */
  readonly controlWithoutReplication: boolean;
  /** connections to A hang instead of being reset */
  readonly silentSiteLoss: boolean;
}

export const DEFAULT_OPTIONS: DrillCliOptions = {
  runs: 3,
  clientsPerSite: 8,
  ratePerClient: 20,
  loadBeforeKillS: 8,
  loadAfterRecoveryS: 3,
  rtoLimitS: 30,
  lateReceiversPerSite: 2,
  controlWithoutReplication: false,
  silentSiteLoss: false,
};

type NumberOption = Exclude<keyof DrillCliOptions, 'controlWithoutReplication' | 'silentSiteLoss'>;

const FLAGS: Partial<Record<string, NumberOption>> = {
  '--runs': 'runs',
  '--clients-per-site': 'clientsPerSite',
  '--rate': 'ratePerClient',
  '--load-before-kill-s': 'loadBeforeKillS',
  '--load-after-recovery-s': 'loadAfterRecoveryS',
  '--rto-limit-s': 'rtoLimitS',
  '--late-receivers-per-site': 'lateReceiversPerSite',
};
const CONTROL_FLAG = '--control-without-replication';
const SILENT_FLAG = '--silent-site-loss';

/** Parses `--flag value` and `--flag=value`; throws with the flag's name on anything else. */
export function parseOptions(argv: readonly string[]): DrillCliOptions {
  const options: Record<NumberOption, number> = { ...DEFAULT_OPTIONS };
  let control = false;
  let silent = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === CONTROL_FLAG || argv[i] === SILENT_FLAG) {
      if (argv[i] === CONTROL_FLAG) control = true;
      else silent = true;
      continue;
    }
    const equals = argv[i].indexOf('=');
    const flag = equals < 0 ? argv[i] : argv[i].slice(0, equals);
    const key = FLAGS[flag];
    if (key === undefined)
      throw new Error(
        `unknown option ${flag} (known: ${[...Object.keys(FLAGS), CONTROL_FLAG, SILENT_FLAG].join(', ')})`,
      );
    const text = equals < 0 ? argv.at(++i) : argv[i].slice(equals + 1);
    const value = Number(text);
    if (text === undefined || !Number.isFinite(value) || value < (key === 'lateReceiversPerSite' ? 0 : 1e-9))
      throw new Error(`${flag} needs a positive number`);
    if (
      (key === 'runs' || key === 'clientsPerSite' || key === 'lateReceiversPerSite') &&
      !Number.isInteger(value)
    )
      throw new Error(`${flag} needs a whole number`);
    if (key === 'clientsPerSite' && value < 2) throw new Error(`${flag} needs at least 2`);
    options[key] = value;
  }
  return { ...options, controlWithoutReplication: control, silentSiteLoss: silent };
}
