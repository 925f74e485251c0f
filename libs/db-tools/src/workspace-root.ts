import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder whose package.json is the workspace root (also inside the migration image, where it is /app). */
export function findWorkspaceRoot(startDir: string = __dirname): string {
  let dir = startDir;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (parsed.name === '@ots/source') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`no workspace root (package.json named @ots/source) above ${startDir}`);
    dir = parent;
  }
}
