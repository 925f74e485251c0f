// `npm run drill:failover -- [--runs N] [--clients-per-site N] [--rate N] [--load-before-kill-s N]
//  [--load-after-recovery-s N] [--rto-limit-s N]`

export interface DrillCliOptions {
  readonly runs: number;
  readonly clientsPerSite: number;
  readonly ratePerClient: number;
  readonly loadBeforeKillS: number;
  readonly loadAfterRecoveryS: number;
  readonly rtoLimitS: number;
}

export const DEFAULT_OPTIONS: DrillCliOptions = {
  runs: 3,
  clientsPerSite: 8,
  ratePerClient: 20,
  loadBeforeKillS: 8,
  loadAfterRecoveryS: 3,
  rtoLimitS: 30,
};

const FLAGS: Record<string, keyof DrillCliOptions> = {
  '--runs': 'runs',
  '--clients-per-site': 'clientsPerSite',
  '--rate': 'ratePerClient',
  '--load-before-kill-s': 'loadBeforeKillS',
  '--load-after-recovery-s': 'loadAfterRecoveryS',
  '--rto-limit-s': 'rtoLimitS',
};

/** Parses `--flag value` and `--flag=value`; throws with the flag's name on anything else. */
export function parseOptions(argv: readonly string[]): DrillCliOptions {
  const options: Record<keyof DrillCliOptions, number> = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = FLAGS[flag];
    if (key === undefined) throw new Error(`unknown option ${flag} (known: ${Object.keys(FLAGS).join(', ')})`);
    const text = inline ?? argv[++i];
    const value = Number(text);
    if (text === undefined || !Number.isFinite(value) || value <= 0)
      throw new Error(`${flag} needs a positive number`);
    if ((key === 'runs' || key === 'clientsPerSite') && !Number.isInteger(value))
      throw new Error(`${flag} needs a whole number`);
    if (key === 'clientsPerSite' && value < 2) throw new Error(`${flag} needs at least 2`);
    options[key] = value;
  }
  return options;
}
