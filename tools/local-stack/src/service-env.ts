import type { LocalPorts, ServiceName } from './layout';

export interface SharedEndpoints {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly cspSecretKeyFile: string;
  /** the `*MY3DATA` bot's secret key file and its public key (base64), registered in the directory */
  readonly my3dataSecretKeyFile: string;
  readonly my3dataPublicKeyBase64: string;
  /** the chat server's public key (base64), pinned by the data export's bot */
  readonly cspPublicKeyBase64: string;
  /** PUSH_* provider settings (by default pointing at the local push fakes) */
  readonly pushProviders: Record<string, string>;
}

/** The environment each service gets on one machine; the same variables as in compose and Helm. */
export function serviceEnvironments(
  ports: LocalPorts,
  endpoints: SharedEndpoints,
): Record<ServiceName, Record<string, string>> {
  const directoryGrpc = `127.0.0.1:${String(ports.services.directory.grpc)}`;
  const common = (name: ServiceName): Record<string, string> => ({
    OTS_SITE: 'local',
    LOG_LEVEL: 'info',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(ports.services[name].http),
    NATS_URL: endpoints.natsUrl,
  });
  return {
    directory: {
      ...common('directory'),
      DATABASE_URL: endpoints.databaseUrl,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(ports.services.directory.grpc),
      DIRECTORY_SYSTEM_IDENTITIES: `*MY3DATA:${endpoints.my3dataPublicKeyBase64}`,
    },
    mailbox: {
      ...common('mailbox'),
      DATABASE_URL: endpoints.databaseUrl,
      DIRECTORY_GRPC_URL: directoryGrpc,
      PUSH_GRPC_URL: `127.0.0.1:${String(ports.services.push.grpc)}`,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(ports.services.mailbox.grpc),
      CSP_SERVER_SECRET_KEY_FILE: endpoints.cspSecretKeyFile,
      CSP_HOST: '127.0.0.1',
      CSP_PORT: String(ports.csp),
    },
    push: {
      ...common('push'),
      DATABASE_URL: endpoints.databaseUrl,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(ports.services.push.grpc),
      ...endpoints.pushProviders,
    },
    'contact-sync': { ...common('contact-sync'), DIRECTORY_GRPC_URL: directoryGrpc },
    'data-export': {
      ...common('data-export'),
      DIRECTORY_GRPC_URL: directoryGrpc,
      PUSH_GRPC_URL: `127.0.0.1:${String(ports.services.push.grpc)}`,
      MAILBOX_GRPC_URL: `127.0.0.1:${String(ports.services.mailbox.grpc)}`,
      MAILBOX_CSP_HOST: '127.0.0.1',
      MAILBOX_CSP_PORT: String(ports.csp),
      MAILBOX_CSP_PUBLIC_KEY: endpoints.cspPublicKeyBase64,
      MY3DATA_SECRET_KEY_FILE: endpoints.my3dataSecretKeyFile,
    },
  };
}
