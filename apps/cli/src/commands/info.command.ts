import {
  DirectoryClientError,
  DirectoryClientErrorCode,
  MessengerError,
  MessengerErrorCode,
  MY3DATA_IDENTITY,
} from '@ots/client';

import { type CliContext, CliError, printable } from '../cli-context';

const DEFAULT_TIMEOUT_SECONDS = 15;

/** `info`: sends "info" to *MY3DATA and prints the JSON it answers with (spec §8.1). */
export async function infoCommand(context: CliContext): Promise<number> {
  const messenger = await context.messenger();
  try {
    const timeoutMs = (context.line.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const data = await messenger.requestDataExport(timeoutMs);
    context.deps.out(JSON.stringify(data, null, 2));
    return 0;
  } catch (error) {
    if (error instanceof DirectoryClientError && error.code === DirectoryClientErrorCode.NOT_FOUND) {
      throw new CliError(
        `${MY3DATA_IDENTITY} is not in this deployment's directory (is the data-export service running?)`,
      );
    }
    if (error instanceof MessengerError && error.code === MessengerErrorCode.UNEXPECTED_REPLY) {
      context.deps.err(`${MY3DATA_IDENTITY} did not answer with JSON; it said:`);
      context.deps.err(printable(error.replyText ?? ''));
      return 1;
    }
    throw error;
  } finally {
    await messenger.close();
  }
}
