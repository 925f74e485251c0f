import { connectCsp, DirectoryClient } from '@ots/client';

import { runCli } from './cli';

const stopRequested = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});

void runCli(process.argv.slice(2), {
  connect: connectCsp,
  directoryFor: (baseUrl) => new DirectoryClient({ baseUrl }),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
  stopRequested,
}).then((code) => {
  process.exitCode = code;
  // the stop listeners and any idle handles must not keep a finished command alive
  process.exit(code);
});
