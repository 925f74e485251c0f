import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { findWorkspaceRoot } from '@ots/db-tools';

// Acceptance: an import from one service into another fails lint. The probe files are real files inside the
// apps (so the type-aware lint config applies exactly as in `nx lint`) and are removed afterwards.
const root = findWorkspaceRoot(__dirname);

const probes = [
  {
    file: join(root, 'apps', 'mailbox', 'src', 'boundary-probe-alias.ts'),
    code: "import { PrismaIdentityRepository } from '@ots/directory-db';\n\nexport const probe = PrismaIdentityRepository;\n",
    expected:
      /A project tagged with "scope:mailbox" can only depend on libs tagged with "scope:mailbox", "scope:shared"/,
  },
  {
    file: join(root, 'apps', 'push', 'src', 'boundary-probe-relative.ts'),
    code: "import { directoryService } from '../../directory/src/service';\n\nexport const probe = directoryService;\n",
    expected: /Projects cannot be imported by a relative or absolute path/,
  },
];

function eslint(files: string[]): { status: number | null; output: string } {
  const env = { ...process.env, NX_DAEMON: 'false' };
  // the boundary rule reads the cached project graph; make sure it exists
  spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'show', 'projects'],
    { cwd: root, env },
  );
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings=0', '--no-color', ...files],
    { cwd: root, env, encoding: 'utf8' },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Nx module boundaries', () => {
  afterAll(() => {
    for (const probe of probes) rmSync(probe.file, { force: true });
  });

  it('rejects a service importing another service, by alias or by relative path', () => {
    for (const probe of probes) writeFileSync(probe.file, probe.code);
    const result = eslint(probes.map((probe) => probe.file));
    expect(result.status).toBe(1);
    for (const probe of probes) expect(result.output).toMatch(probe.expected);
    expect(result.output).toContain('@nx/enforce-module-boundaries');
  });

  it('accepts a service importing a shared library', () => {
    const file = join(root, 'apps', 'mailbox', 'src', 'boundary-probe-shared.ts');
    try {
      writeFileSync(file, "import { commonEnv } from '@ots/config';\n\nexport const probe = commonEnv;\n");
      const result = eslint([file]);
      expect(result.output).not.toContain('@nx/enforce-module-boundaries');
      expect(result.status).toBe(0);
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);
});
