import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '../../../..');
const CONFIG = join(__dirname, '../../test/jest-shared-infra/jest.config.js');

function runJest(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '-c', CONFIG], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      resolve({ code, output });
    });
  });
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

describe('global setup/teardown', () => {
  it('give a Jest project one PostgreSQL and one NATS, stopped after the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ots-shared-infra-check-'));
    const reportFile = join(dir, 'report.json');
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, SHARED_INFRA_REPORT: reportFile };
      delete env.TEST_DATABASE_URL;
      delete env.TEST_NATS_URL;

      const { code, output } = await runJest(env);
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('1 passed') });

      const report = JSON.parse(await readFile(reportFile, 'utf8')) as {
        databaseUrl: string;
        natsUrl: string;
      };
      expect(report.databaseUrl).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/ots$/);
      expect(report.natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      const ports = [new URL(report.databaseUrl).port, new URL(report.natsUrl).port].map(Number);
      expect(await Promise.all(ports.map(acceptsConnections))).toEqual([false, false]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
