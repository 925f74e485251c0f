import type { Server } from 'node:net';

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
          ...(options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '0.0.0.0'
            ? [{ type: 2 as const, value: options.host }]
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
  const publicHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const fcmUrl = `http://${publicHost}:${String(fcmPort)}`;
  const credentials = {
    fcmServiceAccount: fcm.serviceAccount(fcmUrl),
    apns: apns.credentials,
    hms: hms.credentials,
  };
  box.credentials = credentials;
  const close = (server: Server): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
      (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  return {
    fcmUrl,
    apnsUrl: `https://${publicHost}:${String(apnsPort)}`,
    hmsUrl: `http://${publicHost}:${String(hmsPort)}`,
    state,
    credentials,
    close: async () => {
      await Promise.all([close(fcm.server), close(apns.server), close(hms.server)]);
    },
  };
}
