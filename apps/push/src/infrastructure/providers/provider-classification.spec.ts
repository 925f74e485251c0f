import { classifyApnsError } from './apns.provider';
import { classifyFcmError } from './fcm.provider';
import { classifyHmsResponse } from './hms.provider';

const fcmBody = (errorCode: string, status: string, message = 'x') =>
  Buffer.from(
    JSON.stringify({
      error: {
        code: 0,
        message,
        status,
        details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }],
      },
    }),
  );

describe('FCM error classification (push-providers §1.4)', () => {
  it.each([
    [404, 'UNREGISTERED', 'NOT_FOUND', { kind: 'gone', reason: 'UNREGISTERED' }],
    [403, 'SENDER_ID_MISMATCH', 'PERMISSION_DENIED', { kind: 'gone', reason: 'SENDER_ID_MISMATCH' }],
    [
      401,
      'THIRD_PARTY_AUTH_ERROR',
      'UNAUTHENTICATED',
      { kind: 'failed', reason: 'THIRD_PARTY_AUTH_ERROR', credential: true },
    ],
    [503, 'UNAVAILABLE', 'UNAVAILABLE', { kind: 'retry', reason: 'UNAVAILABLE', retryAfterMs: 7_000 }],
    [500, 'INTERNAL', 'INTERNAL', { kind: 'retry', reason: 'INTERNAL', retryAfterMs: 7_000 }],
    [
      429,
      'QUOTA_EXCEEDED',
      'RESOURCE_EXHAUSTED',
      { kind: 'retry', reason: 'QUOTA_EXCEEDED', retryAfterMs: 7_000 },
    ],
  ])('%i %s', (status, errorCode, googleStatus, expected) => {
    expect(classifyFcmError(status, fcmBody(errorCode, googleStatus), '7')).toEqual(expected);
  });

  it('deletes only tokens that INVALID_ARGUMENT calls malformed', () => {
    expect(
      classifyFcmError(
        400,
        fcmBody(
          'INVALID_ARGUMENT',
          'INVALID_ARGUMENT',
          'The registration token is not a valid FCM registration token',
        ),
        undefined,
      ),
    ).toEqual({ kind: 'gone', reason: 'INVALID_TOKEN' });
    expect(
      classifyFcmError(
        400,
        fcmBody('INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'message.data[0].value'),
        undefined,
      ),
    ).toEqual({
      kind: 'failed',
      reason: 'INVALID_ARGUMENT',
    });
  });

  it('refreshes the OAuth token on a plain 401 and classifies non-JSON bodies by status', () => {
    expect(classifyFcmError(401, Buffer.from('{"error":{"status":"UNAUTHENTICATED"}}'), undefined)).toBe(
      'refresh-auth',
    );
    expect(classifyFcmError(502, Buffer.from('<html>'), undefined)).toEqual({
      kind: 'retry',
      reason: 'HTTP_502',
    });
    expect(classifyFcmError(418, Buffer.from(''), undefined)).toEqual({ kind: 'failed', reason: 'HTTP_418' });
  });
});

describe('APNs error classification (push-providers §2.4)', () => {
  it('deletes on 410 with the unregistration instant, and on BadDeviceToken', () => {
    expect(classifyApnsError(410, 'Unregistered', 1_000)).toEqual({
      kind: 'gone',
      reason: 'Unregistered',
      unregisteredAt: new Date(1_000),
    });
    expect(classifyApnsError(410, 'ExpiredToken', undefined)).toEqual({
      kind: 'gone',
      reason: 'ExpiredToken',
    });
    expect(classifyApnsError(400, 'BadDeviceToken', undefined)).toEqual({
      kind: 'gone',
      reason: 'BadDeviceToken',
    });
  });

  it('opens the circuit on credential errors and retries server errors', () => {
    expect(classifyApnsError(403, 'InvalidProviderToken', undefined)).toEqual({
      kind: 'failed',
      reason: 'InvalidProviderToken',
      credential: true,
    });
    expect(classifyApnsError(429, 'TooManyProviderTokenUpdates', undefined)).toMatchObject({
      kind: 'failed',
      credential: true,
    });
    expect(classifyApnsError(429, 'TooManyRequests', undefined)).toEqual({
      kind: 'retry',
      reason: 'TooManyRequests',
      countsAgainstCircuit: false,
    });
    expect(classifyApnsError(503, 'ServiceUnavailable', undefined)).toEqual({
      kind: 'retry',
      reason: 'ServiceUnavailable',
    });
    expect(classifyApnsError(500, 'InternalServerError', undefined)).toEqual({
      kind: 'retry',
      reason: 'InternalServerError',
    });
  });

  it('fails our own bugs and topic mistakes without deleting the token', () => {
    expect(classifyApnsError(400, 'DeviceTokenNotForTopic', undefined)).toEqual({
      kind: 'failed',
      reason: 'DeviceTokenNotForTopic',
    });
    expect(classifyApnsError(413, 'PayloadTooLarge', undefined)).toEqual({
      kind: 'failed',
      reason: 'PayloadTooLarge',
    });
    expect(classifyApnsError(400, 'BadCollapseId', undefined)).toEqual({
      kind: 'failed',
      reason: 'BadCollapseId',
    });
  });
});

describe('HMS response classification (push-providers §3)', () => {
  const body = (code: string, msg: unknown = 'x') => JSON.stringify({ code, msg, requestId: 'r' });

  it('reads success, partial success and token errors from the business code', () => {
    expect(classifyHmsResponse(200, body('80000000'), 't', undefined)).toEqual({ kind: 'sent' });
    const partial = body('80100000', JSON.stringify({ success: 0, failure: 1, illegal_tokens: ['t'] }));
    expect(classifyHmsResponse(200, partial, 't', undefined)).toEqual({ kind: 'gone', reason: '80100000' });
    expect(classifyHmsResponse(200, partial, 'other', undefined)).toEqual({ kind: 'sent' });
    expect(classifyHmsResponse(200, body('80300007'), 't', undefined)).toEqual({
      kind: 'gone',
      reason: '80300007',
    });
  });

  it('refreshes an expired OAuth token, opens the circuit on permission errors, retries server errors', () => {
    expect(classifyHmsResponse(401, body('80200003'), 't', undefined)).toBe('refresh-auth');
    expect(classifyHmsResponse(400, body('80300011'), 't', undefined)).toMatchObject({
      kind: 'failed',
      credential: true,
    });
    expect(classifyHmsResponse(500, body('81000001'), 't', '3')).toEqual({
      kind: 'retry',
      reason: '81000001',
      retryAfterMs: 3_000,
    });
    expect(classifyHmsResponse(503, 'busy', 't', undefined)).toEqual({
      kind: 'retry',
      reason: 'flow_control',
    });
    expect(classifyHmsResponse(400, body('80100003'), 't', undefined)).toEqual({
      kind: 'failed',
      reason: '80100003',
    });
  });
});
