import { join } from 'node:path';

/**
 * Ports and folders of the one-machine system started by `npm start` (docs/adr/0003-local-stack.md). The
 * infrastructure ports are unusual on purpose so that a system PostgreSQL or NATS on the defaults is untouched, and
 * every port, shifted by the largest offset, stays below Linux's ephemeral range (32768 and up by default): a port
 * in that range can be held by an outgoing connection in TIME_WAIT for a minute after heavy local traffic (a
 * benchmark), and `npm start` then found its NATS port taken.
 */
export const EPHEMERAL_PORTS_START = 32_768;
export const MAX_PORT_OFFSET = 5_000;

export function localPorts(offset = 0) {
  const at = (port: number): number => port + offset;
  return {
    publicHttp: at(8080),
    postgres: at(25432),
    nats: at(14222),
    natsMonitor: at(19322),
    // the chat server's TCP port, written into the provisioning file for clients
    csp: at(5222),
    // provider fakes (tools/push-fakes) that push talks to by default, so pushes arrive without any account
    pushFakes: { fcm: at(4101), apns: at(4102), hms: at(4103) },
    services: {
      directory: { http: at(8101), grpc: at(9101) },
      mailbox: { http: at(8102), grpc: at(9102) },
      push: { http: at(8103), grpc: at(9103) },
      'contact-sync': { http: at(8104) },
      'data-export': { http: at(8105) },
    },
  } as const;
}

export type LocalPorts = ReturnType<typeof localPorts>;

export type ServiceName = keyof LocalPorts['services'];

export const SERVICE_NAMES: readonly ServiceName[] = [
  'directory',
  'mailbox',
  'push',
  'contact-sync',
  'data-export',
];

/** OTS_PORT_OFFSET shifts every port, so a second stack (or a test) can run beside the first. */
export function portOffsetFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.OTS_PORT_OFFSET;
  if (raw === undefined || raw === '') return 0;
  const offset = Number(raw);
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_PORT_OFFSET) {
    throw new Error(`OTS_PORT_OFFSET must be an integer between 0 and ${String(MAX_PORT_OFFSET)}`);
  }
  return offset;
}

export interface DataLayout {
  readonly root: string;
  readonly postgres: string;
  readonly nats: string;
  readonly keys: string;
  readonly logs: string;
  readonly cspSecretKeyFile: string;
  readonly oppfSigningKeyFile: string;
  /** the `*MY3DATA` system identity's X25519 secret key (the data export's bot) */
  readonly my3dataSecretKeyFile: string;
  readonly oppfFile: string;
  /** The OPPF signing key's public half (base64), which our CLI and SDK pin to verify the OPPF. */
  readonly oppfPublicKeyFile: string;
  /** credentials the push fakes generated, handed to the push service as files */
  readonly pushFakes: string;
}

/** Everything local lives in one git-ignored folder (default `.data/` in the workspace). */
export function dataLayout(root: string): DataLayout {
  const keys = join(root, 'keys');
  return {
    root,
    postgres: join(root, 'postgres'),
    nats: join(root, 'nats'),
    keys,
    logs: join(root, 'logs'),
    cspSecretKeyFile: join(keys, 'csp-server.key'),
    oppfSigningKeyFile: join(keys, 'oppf-signing.key'),
    my3dataSecretKeyFile: join(keys, 'my3data.key'),
    oppfFile: join(root, 'client-config.oppf'),
    oppfPublicKeyFile: join(root, 'oppf-signing.pub'),
    pushFakes: join(keys, 'push-fakes'),
  };
}
