import { Writable } from 'node:stream';

import { Logger } from '@nestjs/common';

import { createLogger, REDACTION_CENSOR, ServiceLogger } from './index';

function capture(level = 'debug'): { logger: ServiceLogger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const settings = { service: 'mailbox', version: '1.0.0', site: 'site-b', level };
  return {
    logger: new ServiceLogger(createLogger(settings, stream)),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('ServiceLogger', () => {
  it('merges the single-object form into the line and names the context', () => {
    const out = capture();
    out.logger.warn({ msg: 'queue full', depth: 7 }, 'QueueQuota');
    expect(out.lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'queue full',
        depth: 7,
        context: 'QueueQuota',
        site: 'site-b',
      }),
    ]);
  });

  it('maps every Nest level onto pino levels and drops what is below the configured level', () => {
    const out = capture('info');
    out.logger.verbose('v');
    out.logger.debug('d');
    out.logger.log('l');
    out.logger.error('e');
    out.logger.fatal('f');
    expect(out.lines().map((line) => [line.level, line.msg])).toEqual([
      ['info', 'l'],
      ['error', 'e'],
      ['fatal', 'f'],
    ]);
  });

  it('logs an Error as err with its message and a Nest stack parameter as stack', () => {
    const out = capture();
    out.logger.error(new Error('disk gone'), 'Store');
    out.logger.error('commit failed', 'Error: x\n    at commit (store.ts:1:1)', 'GroupCommit');
    const [first, second] = out.lines();
    expect(first).toMatchObject({ msg: 'disk gone', context: 'Store', err: { message: 'disk gone' } });
    expect(second).toMatchObject({ msg: 'commit failed', context: 'GroupCommit' });
    expect(String(second.stack)).toContain('at commit');
  });

  it('keeps redaction for lines written through Nest', () => {
    const out = capture();
    Logger.overrideLogger(out.logger);
    try {
      new Logger('Login').warn({
        msg: 'login failed',
        identity: 'ECHOECHO',
        request: { remoteAddress: '198.51.100.7' },
      });
    } finally {
      Logger.overrideLogger(false);
    }
    const raw = JSON.stringify(out.lines());
    expect(raw).toContain('login failed');
    expect(raw).toContain(REDACTION_CENSOR);
    expect(raw).not.toContain('ECHOECHO');
    expect(raw).not.toContain('198.51.100.7');
  });
});
