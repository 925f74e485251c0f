import * as sdk from '@ots/client';
import { type CspConnect, DirectoryClient } from '@ots/client';

import { runCli } from './cli';

// The CSP client (`connectCsp`) is being added to @ots/client; until it is exported the CLI reports that clearly
// for the commands that need a chat connection (send, listen, info) instead of failing to build.
const connectCsp = (sdk as unknown as { readonly connectCsp?: CspConnect }).connectCsp;

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
