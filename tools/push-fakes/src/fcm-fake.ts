import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createServer as createHttp1Server } from 'node:http';
import { createServer as createH2cServer } from 'node:http2';
import { createServer as createTcpServer, type Server } from 'node:net';
import { Duplex } from 'node:stream';

import { type FakeState, sleep } from './fake-state';
import { type AnyRequest, type AnyResponse, headerRecord, parseJson, readBody, sendJson } from './http-util';
import { verifyJwt } from './jwt-verify';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const ERROR_STATUS: Record<string, [number, string]> = {
  UNREGISTERED: [404, 'NOT_FOUND'],
  INVALID_ARGUMENT: [400, 'INVALID_ARGUMENT'],
  SENDER_ID_MISMATCH: [403, 'PERMISSION_DENIED'],
  THIRD_PARTY_AUTH_ERROR: [401, 'UNAUTHENTICATED'],
  QUOTA_EXCEEDED: [429, 'RESOURCE_EXHAUSTED'],
  UNAVAILABLE: [503, 'UNAVAILABLE'],
  INTERNAL: [500, 'INTERNAL'],
};

export interface FcmFake {
  readonly server: Server;
  /** a service-account JSON (generated key pair) whose token_uri points at this fake */
  serviceAccount(baseUrl: string): Record<string, string>;
}

/**
 * FCM HTTP v1 and Google's OAuth token endpoint (spec push-providers §1, §7) on one port, speaking HTTP/2
 * (h2c, as the push service does) and HTTP/1.1 (token endpoint, control API, curl).
 */
export function createFcmFake(
  state: FakeState,
  control: (req: AnyRequest, res: AnyResponse) => Promise<boolean>,
): FcmFake {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = 'push-fake@ots-local.iam.gserviceaccount.com';
  const projectId = 'ots-local';
  const accessTokens = new Map<string, number>();
  let tokenUri = '';

  const handler = (request: AnyRequest, response: AnyResponse): void => {
    void handle(request, response).catch(() => {
      if (!response.headersSent)
        sendJson(response, 500, { error: { code: 500, message: 'fake failed', status: 'INTERNAL' } });
    });
  };

  async function handle(request: AnyRequest, response: AnyResponse): Promise<void> {
    if (await control(request, response)) return;
    const path = (request.url ?? '').split('?')[0];
    const body = await readBody(request);
    if (request.method === 'POST' && path === '/token') {
      oauthToken(body, response, publicKey);
      return;
    }
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
    if (request.method === 'POST' && match) {
      await send(match[1], request, body, response);
      return;
    }
    sendJson(response, 404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
  }

  function oauthToken(body: Buffer, response: AnyResponse, key: KeyObject): void {
    const form = new URLSearchParams(body.toString('utf8'));
    const jwt = verifyJwt(form.get('assertion') ?? '', 'RS256', key);
    const claims = jwt?.claims;
    const now = Math.floor(Date.now() / 1000);
    const valid =
      form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
      claims?.iss === clientEmail &&
      claims.aud === tokenUri &&
      typeof claims.iat === 'number' &&
      typeof claims.exp === 'number' &&
      claims.exp - claims.iat <= 3600 &&
      claims.exp > now &&
      typeof claims.scope === 'string' &&
      claims.scope.split(' ').includes(SCOPE);
    if (!valid) {
      sendJson(response, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      return;
    }
    state.counts.tokens.google++;
    const accessToken = `ya29.fake-${randomBytes(16).toString('hex')}`;
    accessTokens.set(accessToken, Date.now() + 3599_000);
    sendJson(response, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  }

  async function send(
    project: string,
    request: AnyRequest,
    body: Buffer,
    response: AnyResponse,
  ): Promise<void> {
    const auth = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    const expires = auth ? accessTokens.get(auth[1]) : undefined;
    const parsed = parseJson(body) as { message?: Record<string, unknown> } | undefined;
    const message = parsed?.message;
    const token = typeof message?.token === 'string' ? message.token : '';
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}): void => {
      state.record({
        provider: 'fcm',
        at: Date.now(),
        path: `/v1/projects/${project}/messages:send`,
        headers: headerRecord(request),
        body: parsed,
        status,
      });
      sendJson(response, status, json, headers);
    };
    if (expires === undefined || expires < Date.now()) {
      answer(401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      });
      return;
    }
    const problem = validateMessage(message);
    if (problem) {
      answer(400, {
        error: {
          code: 400,
          message: problem,
          status: 'INVALID_ARGUMENT',
          details: [{ '@type': FCM_ERROR_TYPE, errorCode: 'INVALID_ARGUMENT' }],
        },
      });
      return;
    }
    const behaviour = state.take('fcm', token);
    if (behaviour?.hangMs) await sleep(behaviour.hangMs);
    if (behaviour?.reason || behaviour?.status) {
      const reason = behaviour.reason ?? 'INTERNAL';
      const [status, googleStatus] = ERROR_STATUS[reason] ?? [behaviour.status ?? 500, 'UNKNOWN'];
      const text =
        reason === 'INVALID_ARGUMENT'
          ? 'The registration token is not a valid FCM registration token'
          : `fake ${reason}`;
      answer(
        behaviour.status ?? status,
        {
          error: {
            code: status,
            message: text,
            status: googleStatus,
            details: [{ '@type': FCM_ERROR_TYPE, errorCode: reason }],
          },
        },
        behaviour.retryAfter === undefined ? {} : { 'retry-after': String(behaviour.retryAfter) },
      );
      return;
    }
    answer(200, { name: `projects/${project}/messages/${randomBytes(8).toString('hex')}` });
  }

  const h1 = createHttp1Server(handler);
  const h2 = createH2cServer(handler);
  // one port for both: HTTP/2 prior knowledge starts with the connection preface "PRI * HTTP/2.0". Node's HTTP/2
  // reads a plain socket's handle directly, so the sniffed bytes are replayed through a JavaScript stream.
  const server = createTcpServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      if (first.subarray(0, 3).toString('latin1') !== 'PRI') {
        socket.pause();
        socket.unshift(first);
        h1.emit('connection', socket);
        socket.resume();
        return;
      }
      const duplex = new Duplex({
        read() {
          socket.resume();
        },
        write(chunk: Buffer, _encoding, callback) {
          socket.write(chunk, callback);
        },
        final(callback) {
          socket.end();
          callback();
        },
        destroy(error, callback) {
          socket.destroy();
          callback(error);
        },
      });
      duplex.push(first);
      socket.on('data', (chunk: Buffer) => {
        if (!duplex.push(chunk)) socket.pause();
      });
      socket.on('end', () => duplex.push(null));
      socket.on('close', () => duplex.destroy());
      h2.emit('connection', duplex);
    });
  });

  return {
    server,
    serviceAccount: (baseUrl: string) => {
      tokenUri = `${baseUrl}/token`;
      return {
        type: 'service_account',
        project_id: projectId,
        private_key_id: randomBytes(20).toString('hex'),
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: clientEmail,
        token_uri: tokenUri,
      };
    },
  };
}

/** The fidelity checks of spec push-providers §7 for a v1 send. */
function validateMessage(message: Record<string, unknown> | undefined): string | undefined {
  if (!message) return 'message is required';
  const targets = ['token', 'topic', 'condition'].filter((k) => message[k] !== undefined);
  if (targets.length !== 1) return 'exactly one of token, topic, condition is required';
  if (message.data !== undefined) {
    if (typeof message.data !== 'object' || message.data === null) return 'message.data must be a map';
    for (const [key, value] of Object.entries(message.data)) {
      if (typeof value !== 'string') return `message.data[${key}].value must be a string`;
      if (key === 'from' || key === 'gcm' || key.startsWith('google'))
        return `message.data key ${key} is reserved`;
    }
  }
  const android = message.android as { priority?: unknown; ttl?: unknown } | undefined;
  if (
    android?.priority !== undefined &&
    (typeof android.priority !== 'string' || !/^(normal|high)$/i.test(android.priority))
  )
    return 'android.priority is invalid';
  if (android?.ttl !== undefined) {
    const ttl = typeof android.ttl === 'string' ? /^(\d+)(\.\d{1,9})?s$/.exec(android.ttl) : null;
    if (!ttl || Number(ttl[1]) > 2_419_200) return 'android.ttl is invalid';
  }
  if (JSON.stringify(message).length > 4096) return 'message is too big';
  return undefined;
}
