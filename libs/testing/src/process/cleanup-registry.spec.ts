import { EventEmitter } from 'node:events';

import { CleanupRegistry, type CleanupTarget, type ProcessHooks } from './cleanup-registry';

class FakeProcess extends EventEmitter implements ProcessHooks {
  readonly pid = 4242;
  readonly kills: [number, NodeJS.Signals][] = [];
  kill(pid: number, signal: NodeJS.Signals): boolean {
    this.kills.push([pid, signal]);
    return true;
  }
}

function fakeTarget(events: string[], name: string, stop?: () => Promise<void>): CleanupTarget {
  return {
    description: name,
    stop:
      stop ??
      (() => {
        events.push(`stop ${name}`);
        return Promise.resolve();
      }),
    killNow: () => events.push(`kill ${name}`),
  };
}

describe('CleanupRegistry', () => {
  it('hooks exit and signals only while something is tracked', () => {
    const fake = new FakeProcess();
    const registry = new CleanupRegistry(fake);
    const untrackA = registry.track(fakeTarget([], 'a'));
    const untrackB = registry.track(fakeTarget([], 'b'));
    expect([fake.listenerCount('exit'), fake.listenerCount('SIGINT'), fake.listenerCount('SIGTERM')]).toEqual(
      [1, 1, 1],
    );
    untrackA();
    expect(fake.listenerCount('exit')).toBe(1);
    untrackB();
    expect([fake.listenerCount('exit'), fake.listenerCount('SIGINT'), fake.listenerCount('SIGTERM')]).toEqual(
      [0, 0, 0],
    );
  });

  it('kills every tracked target synchronously on exit, even if one throws', () => {
    const fake = new FakeProcess();
    const registry = new CleanupRegistry(fake);
    const events: string[] = [];
    registry.track({
      ...fakeTarget(events, 'a'),
      killNow: () => {
        throw new Error('boom');
      },
    });
    registry.track(fakeTarget(events, 'b'));
    fake.emit('exit');
    expect(events).toEqual(['kill b']);
  });

  it('stops targets on SIGTERM, then re-raises the signal when no one else listens', async () => {
    const fake = new FakeProcess();
    const registry = new CleanupRegistry(fake);
    const events: string[] = [];
    const untrack = registry.track(
      fakeTarget(events, 'a', () => {
        events.push('stop a');
        untrack();
        return Promise.resolve();
      }),
    );
    fake.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['stop a']);
    expect(fake.kills).toEqual([[4242, 'SIGTERM']]);
    expect(fake.listenerCount('SIGTERM')).toBe(0);
  });

  it('leaves the signal to other listeners and kills what did not stop in time', async () => {
    const fake = new FakeProcess();
    fake.on('SIGINT', () => undefined);
    const registry = new CleanupRegistry(fake, 20);
    const events: string[] = [];
    registry.track(fakeTarget(events, 'stuck', () => new Promise(() => undefined)));
    fake.emit('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(['kill stuck']);
    expect(fake.kills).toEqual([]);
  });

  it('stopAll reports failures after trying every target', async () => {
    const registry = new CleanupRegistry(new FakeProcess());
    const events: string[] = [];
    registry.track(fakeTarget(events, 'bad', () => Promise.reject(new Error('no'))));
    registry.track(fakeTarget(events, 'good'));
    await expect(registry.stopAll()).rejects.toThrow('cleanup failed');
    expect(events).toEqual(['stop good']);
  });
});
