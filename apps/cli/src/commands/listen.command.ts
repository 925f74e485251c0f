import type { ReceivedText } from '@ots/client';

import { type CliContext, printable } from '../cli-context';

function formatText(text: ReceivedText): string {
  const time = new Date(text.createdAtMs).toISOString().replace('T', ' ').slice(0, 19);
  const nickname = text.nickname === undefined ? '' : ` (${printable(text.nickname)})`;
  return `[${time}] ${text.from}${nickname}: ${printable(text.text)}`;
}

/** `listen`: prints decrypted texts (acking each) until Ctrl-C, --count messages, or the connection closes. */
export async function listenCommand(context: CliContext): Promise<number> {
  const { out, err, stopRequested } = context.deps;
  const messenger = await context.messenger();
  let received = 0;
  let reachedCount!: () => void;
  const countReached = new Promise<void>((resolve) => (reachedCount = resolve));
  messenger.onProblem(({ error, dropped }) => {
    const reason = error instanceof Error ? error.message : 'unknown error';
    err(`could not handle an incoming message (${dropped ? 'dropped' : 'left on the server'}): ${reason}`);
  });
  messenger.onText((text) => {
    out(formatText(text));
    received++;
    if (context.line.count !== undefined && received >= context.line.count) reachedCount();
  });
  out(`Listening as ${messenger.identity}; press Ctrl-C to stop.`);
  const outcome = await Promise.race([
    stopRequested.then(() => 'stopped' as const),
    countReached.then(() => 'stopped' as const),
    messenger.closed,
  ]);
  if (outcome === 'stopped') {
    await messenger.close();
    return 0;
  }
  err(`connection closed: ${outcome.closeErrorMessage ?? outcome.error?.message ?? 'by the server'}`);
  return 1;
}
