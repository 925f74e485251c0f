import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { findWorkspaceRoot } from '@ots/db-tools';

import { generatedFiles } from './generated-files';

const root = findWorkspaceRoot(__dirname);
async function main(): Promise<void> {
  for (const [path, content] of await generatedFiles(root)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}

void main();
