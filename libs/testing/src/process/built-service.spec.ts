import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../ports/free-port';
import { spawnBuiltService, waitForBuiltServiceReady } from './built-service';

// a stand-in for dist/apps/directory/…/main.js in a throw-away workspace root
function workspaceWith(mainJs: string): string {
  const root = mkdtempSync(join(tmpdir(), 'ots-built-service-'));
  const dir = join(root, 'dist', 'apps', 'directory', 'apps', 'directory', 'src');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), mainJs);
  return root;
}

describe('waitForBuiltServiceReady', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('fails as soon as the service exits, with its last words', async () => {
    const root = workspaceWith(
      "process.stderr.write('Error: listen EADDRINUSE: address already in use 127.0.0.1:4242\\n'); process.exit(1);",
    );
    roots.push(root);
    const service = spawnBuiltService(root, 'directory', {});
    const started = Date.now();
    await expect(waitForBuiltServiceReady(service, 'directory', await freePort(), 30_000)).rejects.toThrow(
      /directory exited \(code 1\) before it was ready[\s\S]*EADDRINUSE: address already in use 127\.0\.0\.1:4242/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('says what the service printed when it never becomes ready', async () => {
    const root = workspaceWith(
      "console.log('still connecting to the database'); setInterval(() => {}, 1000);",
    );
    roots.push(root);
    const service = spawnBuiltService(root, 'directory', {});
    try {
      await expect(waitForBuiltServiceReady(service, 'directory', await freePort(), 1_000)).rejects.toThrow(
        /timed out after 1000 ms waiting for directory ready[\s\S]*still connecting to the database/,
      );
    } finally {
      service.child.kill('SIGKILL');
      await service.exited;
    }
  });

  it('resolves once /readyz answers 200', async () => {
    const port = await freePort();
    const root = workspaceWith(
      `require('node:http').createServer((req, res) => { res.statusCode = req.url === '/readyz' ? 200 : 404; res.end(); }).listen(${String(port)}, '127.0.0.1');`,
    );
    roots.push(root);
    const service = spawnBuiltService(root, 'directory', {});
    try {
      await waitForBuiltServiceReady(service, 'directory', port, 10_000);
      expect(service.child.exitCode).toBeNull();
    } finally {
      service.child.kill('SIGKILL');
      await service.exited;
    }
  });
});
