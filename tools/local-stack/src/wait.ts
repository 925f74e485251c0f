import { request } from 'node:http';
import { createServer } from 'node:net';

/** Resolves with the HTTP status of a GET, or undefined when nothing answers. */
export function httpStatus(url: string, timeoutMs = 1_000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => {
      req.destroy();
    });
    req.on('error', () => {
      resolve(undefined);
    });
    req.end();
  });
}

export async function waitForHttpOk(url: string, deadline: number, isAborted: () => boolean): Promise<void> {
  while (Date.now() < deadline) {
    if (isAborted()) throw new Error(`stopped while waiting for ${url}`);
    if ((await httpStatus(url)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 in time`);
}

/** Fails early with a clear message instead of letting a child process die on EADDRINUSE. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () => {
      reject(new Error(`port ${String(port)} (${what}) is already in use: stop whatever holds it and retry`));
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve();
      });
    });
  });
}
