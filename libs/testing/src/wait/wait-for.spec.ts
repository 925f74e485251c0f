import { waitFor, WaitForTimeoutError } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `ready after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe('ready after 3');
  });

  it('treats a throwing predicate as not ready yet', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        if (++calls < 2) throw new Error('connection refused');
        return true;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(true);
  });

  it('times out with the description and the last error', async () => {
    const started = Date.now();
    const failure = waitFor(
      () => {
        throw new Error('ECONNREFUSED');
      },
      { timeoutMs: 60, intervalMs: 10, description: 'the health check' },
    );
    await expect(failure).rejects.toThrow(WaitForTimeoutError);
    await expect(failure).rejects.toThrow(
      /after 60 ms waiting for the health check; last error: Error: ECONNREFUSED/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort(new Error('process exited'));
    }, 20);
    await expect(
      waitFor(() => false, { timeoutMs: 5000, intervalMs: 5, signal: controller.signal }),
    ).rejects.toThrow('process exited');
  });
});
