// `npm run soak -- [options]`: the whole system under mixed load for 30 minutes by default; prints per-process
// slopes of RSS, heap and open files and the totals; exits 1 when a property fails (docs/operations/resilience/soak.md).
import { OptionsError, parseOptions } from './options';
import { formatReport } from './report';
import { runSoak } from './soak';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof OptionsError) {
      process.stderr.write(`${error.message}\n`);
      return 64;
    }
    throw error;
  }
  const report = await runSoak(options, print);
  print(formatReport(report));
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `soak failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
