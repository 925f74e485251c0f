import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateEd25519KeyPair } from '@ots/crypto';
import { findWorkspaceRoot } from '@ots/db-tools';
import { parseOppf } from '@ots/protocol';
import { httpGet, waitFor } from '@ots/testing';

import { dataLayout, localPorts, SERVICE_NAMES } from './layout';

// `npm start` end to end: embedded PostgreSQL, nats-server, migrations, five services, gateway, keys and the
// provisioning file; then SIGTERM leaves no process behind. Runs on shifted ports beside anything else.
const root = findWorkspaceRoot(__dirname);
const offset = 700 + (process.pid % 200);
const ports = localPorts(offset);

interface Launch {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function launch(dataDir: string): Launch {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/local-stack/src/main.ts'], {
    cwd: root,
    env: { ...process.env, OTS_DATA_DIR: dataDir, OTS_PORT_OFFSET: String(offset), OTS_SKIP_BUILD: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('jest'));
}

describe('npm start (local stack)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ots-stack-'));
  const layout = dataLayout(dataDir);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startAndWait(): Promise<Launch> {
    const stack = launch(dataDir);
    try {
      // stop waiting as soon as the launcher exits: its output then says why
      const launcherExited = new AbortController();
      void stack.exited.then(() => {
        launcherExited.abort();
      });
      await waitFor(() => stack.output().includes('All 5 services are ready'), {
        timeoutMs: 90_000,
        intervalMs: 250,
        description: 'the local stack to report ready',
        signal: launcherExited.signal,
      });
    } catch (error) {
      throw new Error(`${String(error)}\n${stack.output()}`);
    }
    return stack;
  }

  async function stop(stack: Launch): Promise<void> {
    stack.child.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
  }

  it('brings all five services up, prints where they are, and stops without leftovers', async () => {
    const stack = await startAndWait();
    try {
      for (const name of SERVICE_NAMES) {
        const readyz = await httpGet(`http://127.0.0.1:${String(ports.services[name].http)}/readyz`);
        expect({ name, status: readyz.status }).toEqual({ name, status: 200 });
        expect(stack.output()).toContain(`http://127.0.0.1:${String(ports.services[name].http)}/readyz`);
      }
      // the gateway routes identity/… to the directory (which answers itself) and hides /metrics
      const viaGateway = await httpGet(`http://127.0.0.1:${String(ports.publicHttp)}/metrics`);
      expect(viaGateway.status).toBe(404);
      expect(stack.output()).toContain(`client configuration (OPPF): ${layout.oppfFile}`);
    } finally {
      await stop(stack);
    }
  }, 180_000);

  it('reuses the generated keys on the next start and signs the provisioning file with them', async () => {
    const keyBefore = readFileSync(layout.cspSecretKeyFile, 'utf8');
    const signingBefore = readFileSync(layout.oppfSigningKeyFile, 'utf8');
    const stack = await startAndWait();
    try {
      expect(readFileSync(layout.cspSecretKeyFile, 'utf8')).toBe(keyBefore);
      expect(readFileSync(layout.oppfSigningKeyFile, 'utf8')).toBe(signingBefore);
      const signingKey = generateEd25519KeyPair(Buffer.from(signingBefore.trim(), 'hex')).publicKey;
      const oppf = parseOppf(readFileSync(layout.oppfFile, 'utf8'), [signingKey]);
      // clients pin the signing key from the public file beside the OPPF (docs/adr/0014-client-provisioning.md)
      expect(readFileSync(layout.oppfPublicKeyFile, 'utf8')).toBe(
        `${Buffer.from(signingKey).toString('base64')}\n`,
      );
      expect(oppf.chat.ports).toEqual([ports.csp]);
      expect(oppf.directory.url).toBe(`http://127.0.0.1:${String(ports.publicHttp)}/`);
    } finally {
      await stop(stack);
    }
  }, 180_000);
});
