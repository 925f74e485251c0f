// The verdict of one drill step and the table an operator reads.

export interface StepResult {
  readonly step: number;
  /** what was SIGKILLed and restarted ('baseline': nothing) */
  readonly fault: string;
  /** kill → first message sent after the kill delivered end to end */
  readonly recoveryFirstMs: number | undefined;
  /** kill → every online client had a message sent after the kill delivered */
  readonly recoveryAllMs: number | undefined;
  /** kill → /readyz of every service answered 200 again (after the restart) */
  readonly readyMs: number | undefined;
  /** messages first sent during the step's window; the client resends each until the server acks it */
  readonly sent: number;
  readonly acked: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicates: number;
  /** acknowledged messages to offline receivers: each must be followed by a push at the device */
  readonly wakeUpsExpected: number;
  readonly wakeUpsLost: number;
  /** wake-ups JetStream accepted during the step (collapsed per receiver, so ≥ pushes for online-bound ones) */
  readonly wakeUpsAccepted: number;
  /** pushes the fake FCM answered with success during the step */
  readonly pushesSent: number;
  /** the work queue was empty (nothing stored, pending or unacknowledged) after the step */
  readonly queueSettled: boolean;
  /** the wake-up stream's storage after the step ('file': it survives a NATS SIGKILL) */
  readonly streamStorage: string;
  readonly durationMs: number;
  readonly verdict: 'PASS' | 'FAIL';
  readonly problems: readonly string[];
}

/** PASS only with zero loss, a settled wake-up queue, and recovery (end to end and readiness) within the bound. */
export function verdictOf(result: StepResult, recoveryBoundMs: number): StepResult {
  const problems: string[] = [];
  if (result.lost > 0) problems.push(`${String(result.lost)} acknowledged messages not delivered`);
  if (result.acked < result.sent)
    problems.push(`${String(result.sent - result.acked)} messages never acknowledged (resent in vain)`);
  if (result.wakeUpsLost > 0)
    problems.push(`${String(result.wakeUpsLost)} wake-ups never reached the device`);
  if (!result.queueSettled) problems.push('wake-ups left in the JetStream work queue');
  if (result.streamStorage !== 'file')
    problems.push(`the wake-up stream is not file-backed (${result.streamStorage})`);
  // the stream's sequence only grows while its file store survives; a recreated stream starts again at 0
  if (result.wakeUpsAccepted < 0) problems.push('the wake-up stream lost its state (sequence went back)');
  if (result.recoveryAllMs === undefined || result.recoveryAllMs > recoveryBoundMs)
    problems.push(`end-to-end messaging did not recover within ${String(recoveryBoundMs / 1000)} s`);
  if (result.readyMs === undefined || result.readyMs > recoveryBoundMs)
    problems.push(`readiness did not recover within ${String(recoveryBoundMs / 1000)} s`);
  if (result.acked === 0) problems.push('no message was acknowledged during the step');
  if (result.wakeUpsExpected === 0) problems.push('no wake-up was expected during the step');
  return { ...result, problems, verdict: problems.length === 0 ? 'PASS' : 'FAIL' };
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : (ms / 1000).toFixed(2));

/** A fixed-width table: one row per step. */
export function formatTable(results: readonly StepResult[]): string {
  const header = [
    'step',
    'killed',
    'first e2e s',
    'all e2e s',
    'readyz s',
    'acked',
    'delivered',
    'lost',
    'dup',
    'wake exp',
    'wake lost',
    'JS accepted',
    'pushes',
    'verdict',
  ];
  const rows = results.map((r) => [
    String(r.step),
    r.fault,
    seconds(r.recoveryFirstMs),
    seconds(r.recoveryAllMs),
    seconds(r.readyMs),
    String(r.acked),
    String(r.delivered),
    String(r.lost),
    String(r.duplicates),
    String(r.wakeUpsExpected),
    String(r.wakeUpsLost),
    String(r.wakeUpsAccepted),
    String(r.pushesSent),
    r.verdict,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
