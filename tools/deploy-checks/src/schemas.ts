/**
 * values.schema.json of every chart, built from shared pieces so the five service charts agree. Every object is
 * closed (additionalProperties: false), so Helm rejects a typo in a key as well as a wrong type. Kubernetes objects
 * passed through as they are (resources, affinity, NetworkPolicy peers…) stay open: the Kubernetes API validates
 * them.
 */
import type { ServiceName } from './dashboards';

type Schema = Record<string, unknown>;

const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const int = (minimum = 0, maximum?: number): Schema => ({
  type: 'integer',
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
});
const bool = (): Schema => ({ type: 'boolean' });
const port = (): Schema => int(1, 65535);
const stringMap = (): Schema => ({ type: 'object', additionalProperties: { type: 'string' } });
const k8sObject = (): Schema => ({ type: 'object' });
const k8sList = (): Schema => ({ type: 'array', items: { type: 'object' } });
const duration = (): Schema => str({ pattern: '^[0-9]+(ms|s|m|h)$' });

function obj(properties: Record<string, Schema>, required: readonly string[] = []): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
}

const peers = (): Schema => ({ type: 'array', minItems: 1, items: { type: 'object' } });
const secretRef = (): Schema =>
  obj({ existingSecret: str({ minLength: 1 }), key: str({ minLength: 1 }) }, ['existingSecret', 'key']);
const image = (): Schema =>
  obj({
    repository: str({ minLength: 1 }),
    tag: str(),
    digest: str({ pattern: '^(sha256:[a-f0-9]{64})?$' }),
    pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
  });
const siteName = (): Schema => str({ pattern: '^[a-z0-9-]{1,31}$' });
const natsUrl = (): Schema => str({ pattern: '^(nats|tls)://[^,\\s]+(,(nats|tls)://[^,\\s]+)*$' });
const resources = (): Schema =>
  obj({ requests: stringMapOrNumbers(), limits: stringMapOrNumbers(), claims: k8sList() }, [
    'requests',
    'limits',
  ]);
function stringMapOrNumbers(): Schema {
  return { type: 'object', additionalProperties: { type: ['string', 'number'] } };
}

const migrations = (): Schema =>
  obj(
    {
      enabled: bool(),
      image: image(),
      database: secretRef(),
      backoffLimit: int(0, 10),
      activeDeadlineSeconds: int(60),
      resources: resources(),
    },
    ['enabled', 'image', 'database'],
  );

const dnsRule = (): Schema => obj({ to: peers() }, ['to']);
const portPeers = (direction: 'to' | 'from'): Schema =>
  obj({ port: port(), [direction]: peers() }, [direction]);

interface ServiceShape {
  readonly port: number;
  readonly public: boolean;
  readonly database: boolean;
  readonly directoryClient: boolean;
  readonly extra: Record<string, Schema>;
  readonly networkExtra?: Record<string, Schema>;
  readonly singleton?: boolean;
}

export const SERVICE_SHAPES: Record<ServiceName, ServiceShape> = {
  directory: {
    port: 8101,
    public: true,
    database: true,
    directoryClient: false,
    extra: {
      grpc: obj({ port: port() }, ['port']),
      directory: obj({
        serverGroup: str({ pattern: '^[0-9a-f]{2}$' }),
        checkIntervalSeconds: int(1),
        limits: obj({
          createPerSourcePerHour: int(1),
          lookupsPerSourcePerMinute: int(1),
          signedPerIdentityPerMinute: int(1),
        }),
      }),
    },
  },
  mailbox: {
    port: 8102,
    public: false,
    database: true,
    directoryClient: true,
    extra: {
      grpc: obj({ port: port() }, ['port']),
      pushGrpc: obj({ host: str({ pattern: '^[A-Za-z0-9.-]*$' }), port: port() }, ['host', 'port']),
      serverKey: secretRef(),
      csp: obj(
        {
          port: port(),
          service: obj({
            type: { enum: ['LoadBalancer', 'NodePort', 'ClusterIP'] },
            port: port(),
            externalTrafficPolicy: { enum: ['Local', 'Cluster'] },
            loadBalancerSourceRanges: { type: 'array', items: str({ minLength: 1 }) },
            loadBalancerClass: str(),
            annotations: stringMap(),
          }),
        },
        ['port', 'service'],
      ),
    },
  },
  push: {
    port: 8103,
    public: true,
    database: true,
    directoryClient: false,
    extra: { grpc: obj({ port: port() }, ['port']) },
    networkExtra: { pushProviders: portPeers('to') },
  },
  'contact-sync': {
    port: 8104,
    public: true,
    database: false,
    directoryClient: true,
    // OTS_NODE_ARGS, split at spaces by the image's shell: flags only, nothing the shell would expand
    extra: { nodeArgs: str({ pattern: '^[A-Za-z0-9=.,_ -]*$' }) },
  },
  'data-export': {
    port: 8105,
    public: false,
    database: false,
    directoryClient: true,
    extra: {
      pushGrpc: obj({ host: str({ pattern: '^[A-Za-z0-9.-]*$' }), port: port() }, ['host', 'port']),
      mailboxGrpc: obj({ host: str({ pattern: '^[A-Za-z0-9.-]*$' }), port: port() }, ['host', 'port']),
      // the chat server the *MY3DATA bot logs in to, and its pinned public key (base64 of 32 bytes, not secret)
      mailboxCsp: obj(
        {
          host: str({ pattern: '^[A-Za-z0-9.-]*$' }),
          port: port(),
          publicKey: str({ pattern: '^([A-Za-z0-9+/]{43}=)?$' }),
        },
        ['host', 'port', 'publicKey'],
      ),
      my3dataKey: secretRef(),
    },
    networkExtra: {
      mailbox: obj({ grpcPort: port(), cspPort: port() }, ['grpcPort', 'cspPort']),
      push: obj({ grpcPort: port() }, ['grpcPort']),
    },
    singleton: true,
  },
};

export function serviceSchema(service: ServiceName): Schema {
  const shape = SERVICE_SHAPES[service];
  const networkPolicy = obj(
    {
      enabled: bool(),
      dns: dnsRule(),
      nats: portPeers('to'),
      prometheus: obj({ from: peers() }, ['from']),
      ...(shape.public ? { ingressController: obj({ from: peers() }, ['from']) } : {}),
      ...(shape.database ? { database: portPeers('to') } : {}),
      ...shape.networkExtra,
    },
    ['enabled', 'dns', 'nats', 'prometheus'],
  );
  const properties: Record<string, Schema> = {
    // set by Helm: global values, the umbrella's enabled condition, and the (empty) values of the library chart
    global: { type: 'object' },
    enabled: bool(),
    'ots-lib': { type: 'object' },
    image: image(),
    imagePullSecrets: { type: 'array', items: obj({ name: str({ minLength: 1 }) }, ['name']) },
    fullnameOverride: str({ maxLength: 63 }),
    site: siteName(),
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    shutdownGraceMs: int(1),
    terminationGracePeriodSeconds: int(1),
    nats: obj({ url: natsUrl() }, ['url']),
    http: obj({ port: port() }, ['port']),
    replicaCount: shape.singleton ? int(1, 1) : int(1),
    strategy: k8sObject(),
    autoscaling: obj(
      {
        enabled: shape.singleton ? { const: false } : bool(),
        minReplicas: int(1),
        maxReplicas: int(1),
        targetCPUUtilizationPercentage: int(1, 100),
        scaleDownStabilizationSeconds: int(0, 3600),
      },
      [
        'enabled',
        'minReplicas',
        'maxReplicas',
        'targetCPUUtilizationPercentage',
        'scaleDownStabilizationSeconds',
      ],
    ),
    podDisruptionBudget: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxUnavailable: { type: ['integer', 'string'] },
        minAvailable: { type: ['integer', 'string'] },
      },
      minProperties: 1,
      maxProperties: 1,
    },
    resources: resources(),
    podAnnotations: stringMap(),
    podLabels: stringMap(),
    priorityClassName: str(),
    nodeSelector: stringMap(),
    tolerations: k8sList(),
    affinity: k8sObject(),
    topologySpreadConstraints: k8sList(),
    serviceMonitor: obj(
      { enabled: bool(), interval: duration(), scrapeTimeout: duration(), labels: stringMap() },
      ['enabled', 'interval', 'scrapeTimeout'],
    ),
    networkPolicy,
    ...(shape.database
      ? {
          database: obj(
            { existingSecret: str({ minLength: 1 }), key: str({ minLength: 1 }), poolSize: int(1) },
            ['existingSecret', 'key', 'poolSize'],
          ),
          migrations: migrations(),
        }
      : {}),
    ...(shape.directoryClient
      ? { directoryGrpc: obj({ host: str({ pattern: '^[A-Za-z0-9.-]*$' }), port: port() }, ['host', 'port']) }
      : {}),
    ...shape.extra,
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `ots-${service} chart values`,
    ...obj(properties, ['image', 'site', 'nats', 'http', 'replicaCount', 'resources', 'networkPolicy']),
  };
}

export function umbrellaSchema(): Schema {
  const subchart = (): Schema => ({
    type: 'object',
    description: 'values of the service chart (validated by its own values.schema.json)',
    properties: { enabled: bool() },
  });
  const closed = obj(
    {
      global: obj(
        {
          site: siteName(),
          nats: obj({ url: natsUrl() }, ['url']),
          image: obj({ repository: str(), tag: str() }),
        },
        ['site', 'nats'],
      ),
      imagePullSecrets: { type: 'array', items: obj({ name: str({ minLength: 1 }) }, ['name']) },
      directory: subchart(),
      mailbox: subchart(),
      push: subchart(),
      'contact-sync': subchart(),
      'data-export': subchart(),
      'ots-lib': { type: 'object' },
      migrations: migrations(),
      networkPolicy: obj({ enabled: bool(), dns: dnsRule(), database: portPeers('to') }, [
        'enabled',
        'dns',
        'database',
      ]),
      ingress: obj(
        {
          enabled: bool(),
          className: str({ minLength: 1 }),
          host: str({ pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$' }),
          annotations: stringMap(),
          tls: obj({ secretName: str() }, ['secretName']),
        },
        ['enabled', 'className', 'host', 'tls'],
      ),
      monitoring: obj(
        {
          prometheusRule: obj({ enabled: bool(), labels: stringMap() }, ['enabled']),
          dashboards: obj({ enabled: bool(), labels: stringMap(), annotations: stringMap() }, [
            'enabled',
            'labels',
          ]),
          runbookBaseUrl: str({ pattern: '^(https?://\\S+)?$' }),
        },
        ['prometheusRule', 'dashboards', 'runbookBaseUrl'],
      ),
      postgres: obj(
        {
          enabled: bool(),
          name: str({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
          peer: str({ pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$' }),
          primary: str({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
          instances: int(1, 9),
          imageName: str({ minLength: 1 }),
          storage: obj({ size: str({ minLength: 1 }), storageClass: str() }, ['size']),
          walStorage: obj({ size: str({ minLength: 1 }), storageClass: str() }, ['size']),
          synchronous: obj(
            {
              method: { enum: ['first', 'any'] },
              number: int(1),
              standbyNames: { type: 'array', items: str({ minLength: 1 }) },
              dataDurability: { enum: ['required', 'preferred'] },
            },
            ['method', 'number', 'standbyNames', 'dataDurability'],
          ),
          peerConnection: obj(
            {
              host: str(),
              port: port(),
              sslCertSecret: str(),
              sslKeySecret: str(),
              sslRootCertSecret: str(),
            },
            ['host', 'port'],
          ),
          promotionToken: str(),
          resources: resources(),
          parameters: stringMap(),
        },
        ['enabled', 'name', 'primary', 'instances'],
      ),
    },
    ['global', 'migrations', 'networkPolicy', 'ingress', 'monitoring', 'postgres'],
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'ots umbrella chart values',
    ...closed,
    // x-… keys hold YAML anchors shared by the site files (x-database-peers); nothing reads them
    patternProperties: { '^x-': {} },
  };
}
