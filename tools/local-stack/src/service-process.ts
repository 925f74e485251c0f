import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import type { ServiceName } from './layout';
import { nodeFlags } from './node-args';

const LEVELS_SHOWN_ON_CONSOLE = new Set(['warn', 'error', 'fatal']);

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly child: ChildProcess;
  readonly logFile: string;
}

/** Runs a built service; its JSON log goes to .data/logs/<name>.log and warnings upwards to the console. */
export function spawnService(
  workspaceRoot: string,
  name: ServiceName,
  env: Record<string, string>,
  logsDir: string,
  print: (line: string) => void,
): ServiceProcess {
  mkdirSync(logsDir, { recursive: true });
  const logFile = join(logsDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const entry = join(workspaceRoot, 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeFlags(env), entry], {
    cwd: workspaceRoot,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      const level = levelOf(line);
      if (level === undefined || LEVELS_SHOWN_ON_CONSOLE.has(level)) print(`[${name}] ${line}`);
    });
  }
  child.once('exit', () => log.end());
  return { name, child, logFile };
}

function levelOf(line: string): string | undefined {
  try {
    const parsed = JSON.parse(line) as { level?: unknown };
    return typeof parsed.level === 'string' ? parsed.level : undefined;
  } catch {
    return undefined;
  }
}
