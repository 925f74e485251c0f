import { ReadinessRegistry } from './readiness';

describe('ReadinessRegistry', () => {
  it('is ready when every check passes', async () => {
    const registry = new ReadinessRegistry();
    registry.register('nats', () => Promise.resolve());
    registry.register('database', () => Promise.resolve());
    await expect(registry.evaluate()).resolves.toEqual({
      ready: true,
      checks: { nats: 'up', database: 'up' },
    });
  });

  it('reports the failing dependency and the error to the callback', async () => {
    const registry = new ReadinessRegistry();
    registry.register('nats', () => Promise.resolve());
    registry.register('database', () => Promise.reject(new Error('connection refused')));
    const failures: string[] = [];
    const report = await registry.evaluate((name, error) =>
      failures.push(`${name}: ${(error as Error).message}`),
    );
    expect(report).toEqual({ ready: false, checks: { nats: 'up', database: 'down' } });
    expect(failures).toEqual(['database: connection refused']);
  });

  it('treats a hanging check as down after the deadline', async () => {
    const registry = new ReadinessRegistry(50);
    registry.register('grpc', () => new Promise<void>(() => undefined));
    await expect(registry.evaluate()).resolves.toEqual({ ready: false, checks: { grpc: 'down' } });
  });

  it('is not ready once shutdown has begun', async () => {
    const registry = new ReadinessRegistry();
    registry.register('nats', () => Promise.resolve());
    registry.markShuttingDown();
    expect((await registry.evaluate()).ready).toBe(false);
  });
});
