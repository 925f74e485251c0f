import { FakeState } from './fake-state';

describe('FakeState', () => {
  it('applies a scripted behaviour to matching tokens only, for the given number of requests', () => {
    const state = new FakeState();
    state.script({ provider: 'fcm', token: 'a', reason: 'UNAVAILABLE', times: 2 });
    expect(state.take('fcm', 'b')).toBeUndefined();
    expect(state.take('apns', 'a')).toBeUndefined();
    expect(state.take('fcm', 'a')?.reason).toBe('UNAVAILABLE');
    expect(state.take('fcm', 'a')?.reason).toBe('UNAVAILABLE');
    expect(state.take('fcm', 'a')).toBeUndefined();
  });

  it('keeps an unlimited behaviour until reset, and counts what it records', () => {
    const state = new FakeState();
    state.script({ provider: 'hms', hangMs: 10 });
    expect(state.take('hms', 'x')?.hangMs).toBe(10);
    expect(state.take('hms', 'y')?.hangMs).toBe(10);
    state.record({ provider: 'hms', at: 1, path: '/', headers: {}, body: {}, status: 200 });
    expect(state.counts.hms).toBe(1);
    state.reset();
    expect(state.take('hms', 'x')).toBeUndefined();
    expect(state.received).toEqual([]);
    expect(state.counts.hms).toBe(0);
  });
});
