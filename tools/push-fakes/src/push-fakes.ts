import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';

import { generate } from 'selfsigned';

import { type ApnsCredentials, createApnsFake } from './apns-fake';
import { type FakeBehaviour, FakeState } from './fake-state';
import { createFcmFake } from './fcm-fake';
import { createHmsFake, type HmsCredentials } from './hms-fake';
import { type AnyRequest, type AnyResponse, parseJson, readBody, sendJson } from './http-util';

export interface PushFakesOptions {
  readonly host: string;
  readonly fcmPort: number;
  readonly apnsPort: number;
  readonly hmsPort: number;
  /** the host name the push service reaches the fakes by (token_uri, URLs, TLS certificate); default `host` */
  readonly publicHost?: string;
  /** if set, the credentials are also written here as files, with push.env naming them (docker-compose) */
  readonly credentialsDir?: string;
}

export interface PushFakes {
  readonly fcmUrl: string;
  readonly apnsUrl: string;
  readonly hmsUrl: string;
  readonly state: FakeState;
  readonly credentials: {
    readonly fcmServiceAccount: Record<string, string>;
    readonly apns: ApnsCredentials;
    readonly hms: HmsCredentials;
  };
  close(): Promise<void>;
}

/**
 * FCM (+ Google OAuth), APNs (HTTP/2, TLS) and HMS (+ Huawei OAuth) fakes in one process, sharing one control
 * API on every port: GET /_fake/received, GET /_fake/credentials, POST /_fake/behaviour, POST /_fake/reset.
 */
export async function startPushFakes(options: PushFakesOptions): Promise<PushFakes> {
  const state = new FakeState();
  const box: { credentials?: PushFakes['credentials'] } = {};
  const control = async (request: AnyRequest, response: AnyResponse): Promise<boolean> => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (!url.pathname.startsWith('/_fake/')) return false;
    if (request.method === 'GET' && url.pathname === '/_fake/healthz')
      sendJson(response, 200, { status: 'ok' });
    else if (request.method === 'GET' && url.pathname === '/_fake/received') {
      const provider = url.searchParams.get('provider');
      sendJson(response, 200, {
        counts: state.counts,
        received: provider ? state.received.filter((r) => r.provider === provider) : state.received,
      });
    } else if (request.method === 'GET' && url.pathname === '/_fake/credentials')
      sendJson(response, 200, box.credentials);
    else if (request.method === 'POST' && url.pathname === '/_fake/behaviour') {
      const behaviour = parseJson(await readBody(request)) as FakeBehaviour | undefined;
      if (!behaviour || !['fcm', 'apns', 'hms'].includes(behaviour.provider)) {
        sendJson(response, 400, { error: 'provider must be fcm, apns or hms' });
      } else {
        state.script(behaviour);
        sendJson(response, 204, undefined);
      }
    } else if (request.method === 'POST' && url.pathname === '/_fake/reset') {
      state.reset();
      sendJson(response, 204, undefined);
    } else sendJson(response, 404, { error: 'unknown control path' });
    return true;
  };

  const publicHost = options.publicHost ?? (options.host === '0.0.0.0' ? '127.0.0.1' : options.host);
  const pems = await generate([{ name: 'commonName', value: 'ots-push-fake' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          // the compose service name, and whatever name the push service is told to use
          { type: 2, value: 'push-fakes' },
          ...(/^[A-Za-z][A-Za-z0-9.-]*$/.test(publicHost) &&
          publicHost !== 'localhost' &&
          publicHost !== 'push-fakes'
            ? [{ type: 2 as const, value: publicHost }]
            : []),
        ],
      },
    ],
  });
  const fcm = createFcmFake(state, control);
  const apns = createApnsFake(state, { key: pems.private, cert: pems.cert }, control);
  const hms = createHmsFake(state, control);
  const listen = (server: Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const [fcmPort, apnsPort, hmsPort] = await Promise.all([
    listen(fcm.server, options.fcmPort),
    listen(apns.server, options.apnsPort),
    listen(hms.server, options.hmsPort),
  ]);
  const fcmUrl = `http://${publicHost}:${String(fcmPort)}`;
  const credentials = {
    fcmServiceAccount: fcm.serviceAccount(fcmUrl),
    apns: apns.credentials,
    hms: hms.credentials,
  };
  box.credentials = credentials;
  const urls = {
    fcmUrl,
    apnsUrl: `https://${publicHost}:${String(apnsPort)}`,
    hmsUrl: `http://${publicHost}:${String(hmsPort)}`,
  };
  if (options.credentialsDir) writeCredentialFiles(options.credentialsDir, credentials, urls);
  const close = (server: Server): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
      (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  return {
    ...urls,
    state,
    credentials,
    close: async () => {
      await Promise.all([close(fcm.server), close(apns.server), close(hms.server)]);
    },
  };
}

/**
 * The credentials as the files the push service reads, plus `push.env` with the PUSH_* variables naming them
 * (paths inside `dir`), for a container that shares the folder with the fakes.
 */
export function writeCredentialFiles(
  dir: string,
  credentials: PushFakes['credentials'],
  urls: { fcmUrl: string; apnsUrl: string; hmsUrl: string },
): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o644 });
    return path;
  };
  const env: Record<string, string> = {
    PUSH_FCM_SERVICE_ACCOUNT_FILE: file(
      'fcm-service-account.json',
      JSON.stringify(credentials.fcmServiceAccount),
    ),
    PUSH_FCM_API_URL: urls.fcmUrl,
    PUSH_APNS_KEY_FILE: file('apns-key.p8', credentials.apns.privateKey),
    PUSH_APNS_KEY_ID: credentials.apns.keyId,
    PUSH_APNS_TEAM_ID: credentials.apns.teamId,
    PUSH_APNS_PRODUCTION_URL: urls.apnsUrl,
    PUSH_APNS_DEVELOPMENT_URL: urls.apnsUrl,
    PUSH_APNS_CA_FILE: file('apns-ca.pem', credentials.apns.ca),
    PUSH_HMS_CLIENT_ID: credentials.hms.clientId,
    PUSH_HMS_CLIENT_SECRET_FILE: file('hms-client-secret', credentials.hms.clientSecret),
    PUSH_HMS_OAUTH_URL: `${urls.hmsUrl}/oauth2/v3/token`,
    PUSH_HMS_API_URL: urls.hmsUrl,
  };
  file(
    'push.env',
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(''),
  );
}
