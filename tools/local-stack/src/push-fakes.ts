import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { LocalPorts } from './layout';
import { waitForHttpOk } from './wait';

export interface LocalPushFakes {
  readonly child: ChildProcess;
  /** the push service's PUSH_* variables for the fakes */
  readonly pushEnv: Record<string, string>;
}

interface FakeCredentials {
  fcmServiceAccount: Record<string, string>;
  apns: { keyId: string; teamId: string; privateKey: string; ca: string };
  hms: { clientId: string; clientSecret: string };
}

/**
 * Starts the FCM, APNs and HMS fakes exactly as docker-compose does (`node --import tsx tools/push-fakes/src/main.ts`)
 * and writes the credentials they generated into files the push service reads (docs/adr/0010-push-gateway.md).
 */
export async function startLocalPushFakes(
  root: string,
  ports: LocalPorts['pushFakes'],
  credentialsDir: string,
  deadline: number,
  /** called as soon as the process exists (before it is ready), e.g. to register it for clean-up */
  onSpawn?: (child: ChildProcess) => void,
): Promise<LocalPushFakes> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('tools', 'push-fakes', 'src', 'main.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PUSH_FAKES_HOST: '127.0.0.1',
      PUSH_FAKES_FCM_PORT: String(ports.fcm),
      PUSH_FAKES_APNS_PORT: String(ports.apns),
      PUSH_FAKES_HMS_PORT: String(ports.hms),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  onSpawn?.(child);
  const fcmUrl = `http://127.0.0.1:${String(ports.fcm)}`;
  await waitForHttpOk(`${fcmUrl}/_fake/healthz`, deadline, () => child.exitCode !== null);
  const credentials = (await (await fetch(`${fcmUrl}/_fake/credentials`)).json()) as FakeCredentials;
  mkdirSync(credentialsDir, { recursive: true, mode: 0o700 });
  const file = (name: string, content: string): string => {
    const path = join(credentialsDir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const apnsUrl = `https://127.0.0.1:${String(ports.apns)}`;
  const hmsUrl = `http://127.0.0.1:${String(ports.hms)}`;
  return {
    child,
    pushEnv: {
      PUSH_FCM_SERVICE_ACCOUNT_FILE: file(
        'fcm-service-account.json',
        JSON.stringify(credentials.fcmServiceAccount),
      ),
      PUSH_FCM_API_URL: fcmUrl,
      PUSH_APNS_KEY_FILE: file('apns-key.p8', credentials.apns.privateKey),
      PUSH_APNS_KEY_ID: credentials.apns.keyId,
      PUSH_APNS_TEAM_ID: credentials.apns.teamId,
      PUSH_APNS_PRODUCTION_URL: apnsUrl,
      PUSH_APNS_DEVELOPMENT_URL: apnsUrl,
      PUSH_APNS_CA_FILE: file('apns-ca.pem', credentials.apns.ca),
      PUSH_HMS_CLIENT_ID: credentials.hms.clientId,
      PUSH_HMS_CLIENT_SECRET_FILE: file('hms-client-secret', credentials.hms.clientSecret),
      PUSH_HMS_OAUTH_URL: `${hmsUrl}/oauth2/v3/token`,
      PUSH_HMS_API_URL: hmsUrl,
    },
  };
}
