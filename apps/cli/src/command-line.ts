import { parseArgs } from 'node:util';

import { UsageError } from './usage';

export const COMMANDS = ['create', 'whoami', 'send', 'listen', 'info'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CommandLine {
  readonly command: CommandName | 'help';
  readonly positionals: readonly string[];
  readonly profile?: string;
  readonly config?: string;
  readonly trustKey?: string;
  readonly force: boolean;
  readonly count?: number;
  readonly timeoutSeconds?: number;
}

function positiveInteger(value: string | undefined, option: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) {
    throw new UsageError(`--${option} must be a whole number from 1 to ${max}`);
  }
  return number;
}

/** Parses `<command> [options] [arguments]`; anything unknown or missing is a UsageError. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: 'string' },
        config: { type: 'string' },
        'trust-key': { type: 'string' },
        force: { type: 'boolean', default: false },
        count: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // node's own errors come from another realm under test runners, so no instanceof here
    const message =
      typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined;
    throw new UsageError(typeof message === 'string' ? message : 'invalid options');
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === 'help') {
    return { command: 'help', positionals: [], force: false };
  }
  const [command, ...rest] = positionals;
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`unknown command "${command}"`);
  const name = command as CommandName;
  const expected: Record<CommandName, [number, number]> = {
    create: [0, 0],
    whoami: [0, 0],
    listen: [0, 0],
    info: [0, 0],
    send: [2, Infinity],
  };
  const [min, max] = expected[name];
  if (rest.length < min) throw new UsageError(`${name} needs a receiver ID and a text`);
  if (rest.length > max) throw new UsageError(`${name} takes no arguments, got "${rest.join(' ')}"`);
  return {
    command: name,
    positionals: rest,
    force: values.force,
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(values['trust-key'] === undefined ? {} : { trustKey: values['trust-key'] }),
    ...(values.count === undefined ? {} : { count: positiveInteger(values.count, 'count', 1_000_000) }),
    ...(values.timeout === undefined
      ? {}
      : { timeoutSeconds: positiveInteger(values.timeout, 'timeout', 3600) }),
  };
}
