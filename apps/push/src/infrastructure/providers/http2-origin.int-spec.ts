import { createServer, type Http2Server, type ServerHttp2Session } from 'node:http2';

import { freePort } from '@ots/testing';

import { Http2Origin } from './http2-origin';

/** HTTP/2 session care against a real (h2c) server on loopback: reuse, GOAWAY, timeouts, bounded streams. */
describe('Http2Origin', () => {
  let server: Http2Server;
  let origin: Http2Origin;
  let concurrent = 0;
  let maxConcurrent = 0;
  const sessions = new Set<ServerHttp2Session>();
  let goawayAfterNext = false;
  let delayMs = 0;

  beforeAll(async () => {
    server = createServer();
    server.on('session', (session) => sessions.add(session));
    server.on('stream', (stream) => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      const answer = (): void => {
        concurrent--;
        if (stream.destroyed) return;
        stream.respond({ ':status': 200 });
        stream.end('ok');
        if (goawayAfterNext) {
          goawayAfterNext = false;
          stream.session?.goaway();
        }
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    origin = new Http2Origin(`http://127.0.0.1:${String(port)}`, { maxConcurrentStreams: 5 });
  });

  afterAll(async () => {
    origin.close();
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  const get = (signal = AbortSignal.timeout(5_000)) =>
    origin.request({ ':method': 'GET', ':path': '/' }, undefined, signal);

  it('sends many requests over one session', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => get()));
    expect(answers.every((a) => a.status === 200 && a.body.toString() === 'ok')).toBe(true);
    expect(origin.sessionsOpened).toBe(1);
  });

  it('never has more streams open than allowed', async () => {
    maxConcurrent = 0;
    delayMs = 20;
    await Promise.all(Array.from({ length: 30 }, () => get()));
    delayMs = 0;
    expect(maxConcurrent).toBeLessThanOrEqual(5);
    expect(maxConcurrent).toBeGreaterThan(1);
  });

  it('opens a new session after GOAWAY', async () => {
    const before = origin.sessionsOpened;
    goawayAfterNext = true;
    await get();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await get()).status).toBe(200);
    expect(origin.sessionsOpened).toBe(before + 1);
  });

  it('cancels a stream whose deadline passes and keeps serving others', async () => {
    delayMs = 500;
    await expect(get(AbortSignal.timeout(50))).rejects.toThrow();
    delayMs = 0;
    expect((await get()).status).toBe(200);
  });
});
