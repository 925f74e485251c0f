import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { findWorkspaceRoot } from '@ots/db-tools';

import { generatedFiles } from './generated-files';

// Writes the generated chart files; with --check, writes nothing and exits 1 when a committed file differs.
const root = findWorkspaceRoot(__dirname);
const check = process.argv.includes('--check');

async function main(): Promise<void> {
  const stale: string[] = [];
  for (const [path, content] of await generatedFiles(root)) {
    const file = join(root, path);
    if (check) {
      let current: string | undefined;
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        current = undefined;
      }
      if (current !== content) stale.push(path);
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`wrote ${path}`);
  }
  if (stale.length > 0) {
    console.error(`out of date (run \`npx nx run deploy-checks:generate\`):\n${stale.join('\n')}`);
    process.exitCode = 1;
  }
}

void main();
