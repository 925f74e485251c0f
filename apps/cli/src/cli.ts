import {
  DirectoryClientError,
  DirectoryClientErrorCode,
  ProfileError,
  ProfileErrorCode,
  ProvisioningError,
  ProvisioningErrorCode,
} from '@ots/client';

import { CliContext, type CliDependencies } from './cli-context';
import { type CommandName, parseCommandLine } from './command-line';
import { createCommand } from './commands/create.command';
import { infoCommand } from './commands/info.command';
import { listenCommand } from './commands/listen.command';
import { sendCommand } from './commands/send.command';
import { whoamiCommand } from './commands/whoami.command';
import { USAGE, UsageError } from './usage';

const COMMANDS: Record<CommandName, (context: CliContext) => Promise<number>> = {
  create: createCommand,
  whoami: whoamiCommand,
  send: sendCommand,
  listen: listenCommand,
  info: infoCommand,
};

/** Runs one command line; returns the exit code (0 ok, 1 failure, 2 usage error). Never throws. */
export async function runCli(argv: readonly string[], deps: CliDependencies): Promise<number> {
  try {
    const line = parseCommandLine(argv);
    if (line.command === 'help') {
      deps.out(USAGE);
      return 0;
    }
    return await COMMANDS[line.command](new CliContext(line, deps));
  } catch (error) {
    if (error instanceof UsageError) {
      deps.err(`error: ${error.message}\n`);
      deps.err(USAGE);
      return 2;
    }
    deps.err(`error: ${explain(error)}`);
    return 1;
  }
}

function explain(error: unknown): string {
  if (error instanceof ProvisioningError) {
    const hint =
      error.code === ProvisioningErrorCode.UNREADABLE
        ? '\nIs the system running? `npm start` writes the provisioning file and its key; or pass --config / --trust-key.'
        : '';
    return `${error.message}${hint}`;
  }
  if (error instanceof DirectoryClientError && error.code === DirectoryClientErrorCode.NETWORK) {
    return `cannot reach the directory (${error.message}); is the system running (npm start)?`;
  }
  if (error instanceof ProfileError && error.code === ProfileErrorCode.NOT_FOUND) {
    return `${error.message}\nCreate one with: npm run cli -- create --profile <name>`;
  }
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined;
  return typeof message === 'string' && message !== '' ? message : 'unexpected failure';
}
