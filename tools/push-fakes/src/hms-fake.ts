import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import { type FakeState, sleep } from './fake-state';
import { type AnyRequest, type AnyResponse, headerRecord, parseJson, readBody, sendJson } from './http-util';

export interface HmsCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

const CODE_TEXT: Record<string, string> = {
  '80300007': 'All the tokens are invalid',
  '80200001': 'Oauth authentication error',
  '80200003': 'Oauth Token expired',
  '81000001': 'System inner error',
  '80300002': 'The current app does not have the permission to send messages',
};

/** HMS Push Kit v1 and Huawei's client-credentials OAuth (spec push-providers §3, §7), HTTP/1.1. */
export function createHmsFake(
  state: FakeState,
  control: (req: AnyRequest, res: AnyResponse) => Promise<boolean>,
): { server: Server; credentials: HmsCredentials } {
  const credentials = { clientId: '10577123', clientSecret: randomBytes(16).toString('hex') };
  const accessTokens = new Map<string, number>();

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { code: '81000001', msg: 'System inner error' });
    });
  });

  async function handle(request: AnyRequest, response: AnyResponse): Promise<void> {
    if (await control(request, response)) return;
    const path = (request.url ?? '').split('?')[0];
    const body = await readBody(request);
    if (request.method === 'POST' && path === '/oauth2/v3/token') {
      const form = new URLSearchParams(body.toString('utf8'));
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== credentials.clientId ||
        form.get('client_secret') !== credentials.clientSecret
      ) {
        sendJson(response, 400, { error: 1101, sub_error: 20152, error_description: 'invalid client' });
        return;
      }
      state.counts.tokens.hms++;
      const token = `hms-${randomBytes(16).toString('hex')}`;
      accessTokens.set(token, Date.now() + 3600_000);
      sendJson(response, 200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
      return;
    }
    const match = /^\/v1\/([^/]+)\/messages:send$/.exec(path);
    if (request.method !== 'POST' || !match) {
      sendJson(response, 404, { code: '80100001', msg: 'not found' });
      return;
    }
    const parsed = parseJson(body) as
      { message?: { data?: unknown; token?: unknown; android?: { ttl?: unknown } } } | undefined;
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}): void => {
      state.record({
        provider: 'hms',
        at: Date.now(),
        path,
        headers: headerRecord(request),
        body: parsed,
        status,
      });
      sendJson(response, status, json, headers);
    };
    const auth = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    const expires = auth ? accessTokens.get(auth[1]) : undefined;
    if (expires === undefined || expires < Date.now()) {
      answer(401, {
        code: '80200003',
        msg: 'Oauth Token expired',
        requestId: randomBytes(8).toString('hex'),
      });
      return;
    }
    const message = parsed?.message;
    const tokens = message?.token;
    const ttl = message?.android?.ttl;
    if (
      typeof message?.data !== 'string' ||
      !Array.isArray(tokens) ||
      tokens.length < 1 ||
      tokens.length > 1000 ||
      (ttl !== undefined && (typeof ttl !== 'string' || !/^\d+(\.\d+)?s$/.test(ttl)))
    ) {
      answer(400, {
        code: '80100003',
        msg: 'Incorrect message structure',
        requestId: randomBytes(8).toString('hex'),
      });
      return;
    }
    const behaviour = state.take('hms', String(tokens[0]));
    if (behaviour?.hangMs) await sleep(behaviour.hangMs);
    const requestId = randomBytes(8).toString('hex');
    if (behaviour?.reason === '80100000') {
      const illegal = behaviour.illegalTokens ?? [];
      answer(200, {
        code: '80100000',
        msg: JSON.stringify({
          success: tokens.length - illegal.length,
          failure: illegal.length,
          illegal_tokens: illegal,
        }),
        requestId,
      });
      return;
    }
    if (behaviour?.reason || behaviour?.status) {
      const code = behaviour.reason ?? '81000001';
      answer(
        behaviour.status ?? (code === '81000001' ? 500 : 400),
        { code, msg: CODE_TEXT[code] ?? 'error', requestId },
        behaviour.retryAfter === undefined ? {} : { 'retry-after': String(behaviour.retryAfter) },
      );
      return;
    }
    answer(200, { code: '80000000', msg: 'Success', requestId });
  }

  return { server, credentials };
}
