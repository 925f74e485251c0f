import { Writable } from 'node:stream';

import { createLogger, REDACTION_CENSOR } from './index';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const settings = { service: 'directory', version: '1.2.3', site: 'site-a', level: 'info' };

describe('createLogger', () => {
  it('writes JSON lines carrying service, version and site', () => {
    const out = capture();
    createLogger(settings, out.stream).info({ queueDepth: 3 }, 'started');
    const line = out.lines()[0] ?? {};
    expect(line).toMatchObject({ service: 'directory', version: '1.2.3', site: 'site-a', level: 'info' });
    expect(line.msg).toBe('started');
    expect(line.queueDepth).toBe(3);
    expect(typeof line.time).toBe('string');
  });

  it('keeps identities, keys, tokens, hashes and addresses redacted at any nesting level', () => {
    const out = capture();
    const logger = createLogger(settings, out.stream).child({ component: 'login' });
    logger.warn(
      {
        identity: 'ECHOECHO',
        publicKey: 'c113a3d85756852602cc82cb69314e87',
        request: {
          remoteAddress: '198.51.100.7',
          body: { pushToken: 'apns-token-1234', emailHash: 'HqCTI5zF' },
        },
        connection: { peer: { messageId: '89aa9a7eaff77d96' } },
      },
      'login failed',
    );
    const raw = JSON.stringify(out.lines());
    for (const secret of [
      'ECHOECHO',
      'c113a3d8',
      '198.51.100.7',
      'apns-token-1234',
      'HqCTI5zF',
      '89aa9a7e',
    ]) {
      expect(raw).not.toContain(secret);
    }
    const line = out.lines()[0] ?? {};
    expect(line.identity).toBe(REDACTION_CENSOR);
    expect((line.request as { body: { pushToken: string } }).body.pushToken).toBe(REDACTION_CENSOR);
    expect(line.component).toBe('login');
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ ...settings, level: 'warn' }, out.stream);
    logger.info('hidden');
    logger.error('shown');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });
});
