import { configProblems, describeCommonServiceConfig } from '@ots/testing';

import { loadPushConfig } from './config';

const valid = { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/ots' };

describeCommonServiceConfig('push', loadPushConfig, valid);

describe('push configuration (providers)', () => {
  it('runs with no provider credentials (own push only)', () => {
    const config = loadPushConfig(valid);
    expect(config.PUSH_FCM_SERVICE_ACCOUNT_FILE).toBeUndefined();
    expect(config.GRPC_PORT).toBe(9103);
  });

  it('names an unreadable credential file without echoing anything else', () => {
    expect(
      configProblems(loadPushConfig, { ...valid, PUSH_FCM_SERVICE_ACCOUNT_FILE: '/nonexistent/sa.json' }),
    ).toEqual(['PUSH_FCM_SERVICE_ACCOUNT_FILE cannot read the file (ENOENT)']);
  });

  it('requires the HMS secret when the HMS client ID is set', () => {
    expect(configProblems(loadPushConfig, { ...valid, PUSH_HMS_CLIENT_ID: '10577123' })).toEqual([
      'PUSH_HMS_CLIENT_SECRET_FILE is required when PUSH_HMS_CLIENT_ID is set',
    ]);
  });

  it('names a malformed APNs key ID', () => {
    expect(configProblems(loadPushConfig, { ...valid, PUSH_APNS_KEY_ID: 'short' })).toEqual([
      expect.stringMatching(/^PUSH_APNS_KEY_ID /),
    ]);
  });
});
