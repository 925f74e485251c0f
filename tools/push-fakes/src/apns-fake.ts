import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest } from 'node:http2';

import { type FakeState, sleep } from './fake-state';
import { type AnyRequest, type AnyResponse, headerRecord, parseJson, readBody, sendJson } from './http-util';
import { type VerifiedJwt, verifyJwt } from './jwt-verify';

const PUSH_TYPES = new Set([
  'alert',
  'background',
  'voip',
  'location',
  'complication',
  'fileprovider',
  'mdm',
  'liveactivity',
  'pushtotalk',
]);
const STATUS_BY_REASON: Partial<Record<string, number>> = {
  BadDeviceToken: 400,
  DeviceTokenNotForTopic: 400,
  BadTopic: 400,
  ExpiredProviderToken: 403,
  InvalidProviderToken: 403,
  Unregistered: 410,
  ExpiredToken: 410,
  PayloadTooLarge: 413,
  TooManyRequests: 429,
  TooManyProviderTokenUpdates: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
};

export interface ApnsCredentials {
  readonly keyId: string;
  readonly teamId: string;
  /** PKCS#8 PEM, the content of a .p8 file */
  readonly privateKey: string;
  /** PEM of the fake's self-signed TLS certificate */
  readonly ca: string;
}

/**
 * APNs provider API over HTTP/2 with TLS (certificate generated at start) and token auth (spec push-providers §2,
 * §7): ES256 JWT with the known kid and team, iat at most an hour old, no re-signing within 20 minutes on one
 * connection, topic and push-type rules, payload limits, real error bodies.
 */
export function createApnsFake(
  state: FakeState,
  tls: { key: string; cert: string },
  control: (req: AnyRequest, res: AnyResponse) => Promise<boolean>,
): { server: Http2SecureServer; credentials: ApnsCredentials } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = 'FAKEKEY001';
  const teamId = 'FAKETEAM01';
  // per connection: the last JWT seen and when it appeared
  const verifiedTokens = new Map<string, VerifiedJwt>();
  const lastTokenBySession = new WeakMap<object, { jwt: string; at: number }>();

  const server = createSecureServer(
    { ...tls, allowHTTP1: true, settings: { maxConcurrentStreams: 500 } },
    (request, response) => {
      void handle(request, response).catch(() => {
        if (!response.headersSent) sendJson(response, 500, { reason: 'InternalServerError' });
      });
    },
  );

  async function handle(request: Http2ServerRequest, response: AnyResponse): Promise<boolean> {
    if (await control(request, response)) return true;
    const path = request.url.split('?')[0];
    const body = await readBody(request);
    const match = /^\/3\/device\/([0-9a-fA-F]+)$/.exec(path);
    const apnsId = typeof request.headers['apns-id'] === 'string' ? request.headers['apns-id'] : randomUUID();
    const answer = (
      status: number,
      reason?: string,
      extra: Record<string, unknown> = {},
      headers: Record<string, string> = {},
    ): boolean => {
      state.record({
        provider: 'apns',
        at: Date.now(),
        path,
        headers: headerRecord(request),
        body: parseJson(body),
        status,
      });
      sendJson(response, status, reason ? { reason, ...extra } : undefined, {
        'apns-id': apnsId,
        ...headers,
      });
      return true;
    };
    if (request.method !== 'POST') return answer(405, 'MethodNotAllowed');
    if (!match) return answer(404, 'BadPath');
    const auth = /^bearer (.+)$/i.exec(request.headers.authorization ?? '');
    if (!auth) return answer(403, 'MissingProviderToken');
    // like APNs, verify a provider token once and remember it (tokens live up to an hour)
    let jwt = verifiedTokens.get(auth[1]);
    if (!jwt) {
      jwt = verifyJwt(auth[1], 'ES256', publicKey);
      if (jwt) {
        if (verifiedTokens.size >= 1_000) verifiedTokens.clear();
        verifiedTokens.set(auth[1], jwt);
      }
    }
    if (jwt?.header.kid !== keyId || jwt.claims.iss !== teamId || typeof jwt.claims.iat !== 'number') {
      return answer(403, 'InvalidProviderToken');
    }
    if (Date.now() / 1000 - jwt.claims.iat > 3600) return answer(403, 'ExpiredProviderToken');
    const session = (request as { stream?: { session?: object } }).stream?.session;
    if (session) {
      const last = lastTokenBySession.get(session);
      if (last && last.jwt !== auth[1] && Date.now() - last.at < 20 * 60 * 1000)
        return answer(429, 'TooManyProviderTokenUpdates');
      if (last?.jwt !== auth[1]) lastTokenBySession.set(session, { jwt: auth[1], at: Date.now() });
    }
    const topic = request.headers['apns-topic'];
    const pushType = request.headers['apns-push-type'] ?? 'alert';
    if (typeof topic !== 'string' || topic === '') return answer(400, 'MissingTopic');
    if (typeof pushType !== 'string' || !PUSH_TYPES.has(pushType)) return answer(400, 'InvalidPushType');
    if ((pushType === 'voip') !== topic.endsWith('.voip')) return answer(400, 'DeviceTokenNotForTopic');
    if (pushType === 'background' && request.headers['apns-priority'] === '10')
      return answer(400, 'BadPriority');
    const collapseId = request.headers['apns-collapse-id'];
    if (typeof collapseId === 'string' && Buffer.byteLength(collapseId) > 64)
      return answer(400, 'BadCollapseId');
    if (body.length === 0) return answer(400, 'PayloadEmpty');
    if (body.length > (pushType === 'voip' ? 5120 : 4096)) return answer(413, 'PayloadTooLarge');
    if (parseJson(body) === undefined) return answer(400, 'BadMessageId');
    const behaviour = state.take('apns', match[1].toLowerCase());
    if (behaviour?.hangMs) await sleep(behaviour.hangMs);
    if (behaviour?.reason || behaviour?.status) {
      const reason = behaviour.reason ?? 'InternalServerError';
      const status = behaviour.status ?? STATUS_BY_REASON[reason] ?? 500;
      answer(
        status,
        reason,
        status === 410 ? { timestamp: behaviour.timestamp ?? Date.now() } : {},
        behaviour.retryAfter === undefined ? {} : { 'retry-after': String(behaviour.retryAfter) },
      );
      return true;
    }
    return answer(200);
  }

  return {
    server,
    credentials: {
      keyId,
      teamId,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ca: tls.cert,
    },
  };
}
