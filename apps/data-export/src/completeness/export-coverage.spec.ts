import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildExportDocument } from '../domain/export-document';
import { checkExportCoverage, hasJsonPath, type ServiceSchema } from './check-coverage';
import { EXPORT_COVERAGE } from './export-coverage';
import { parsePrismaModels } from './prisma-models';

const LIBS = join(__dirname, '..', '..', '..', '..', 'libs');

/** Every service schema in the workspace: libs/<service>/db/prisma/schema.prisma. */
function serviceSchemas(): ServiceSchema[] {
  return readdirSync(LIBS)
    .map((service) => ({ service, path: join(LIBS, service, 'db', 'prisma', 'schema.prisma') }))
    .filter(({ path }) => existsSync(path))
    .map(({ service, path }) => ({ service, schema: readFileSync(path, 'utf8') }));
}

/** An export with every optional part present, so each documented path can be looked up. */
const sampleDocument = buildExportDocument(
  {
    identity: 'ALICE001',
    publicKey: new Uint8Array(32),
    state: 'active',
    type: 'regular',
    featureMask: 1n,
    serverGroup: '00',
    issueDateMs: 1,
    lastLoginMs: 2,
    mobileNoHash: new Uint8Array(32),
    emailHash: new Uint8Array(32),
    revocationKeySet: true,
    revocationKeyLastChangedMs: 3,
    pendingLinks: [{ kind: 'email', hash: new Uint8Array(32), expiresAtMs: 4 }],
  },
  [
    {
      deviceId: 1n,
      pushToken: { tokenType: 0x11, data: new Uint8Array(4), setAtMs: 5 },
      voipToken: { tokenType: 0x11, data: new Uint8Array(4), setAtMs: 6 },
    },
  ],
  {
    queuedMessages: 1,
    oldestQueuedAtMs: 7,
    deviceCookie: new Uint8Array(16),
    deviceCookieChangePending: false,
  },
);

describe('export completeness guard', () => {
  it('finds the service schemas (a new one must be covered by the next test)', () => {
    expect(serviceSchemas().map((schema) => schema.service)).toEqual(
      expect.arrayContaining(['directory', 'mailbox', 'push']),
    );
  });

  it('every column of every service schema is shown by the export or listed as not shown with a reason', () => {
    expect(checkExportCoverage(serviceSchemas(), EXPORT_COVERAGE, sampleDocument)).toEqual([]);
  });

  it('fails when a schema gains a per-identity column that the export does not decide on', () => {
    const schemas = serviceSchemas().map((entry) =>
      entry.service === 'push'
        ? {
            ...entry,
            schema: entry.schema.replace(
              /(model PushToken \{\n)/,
              '$1  /// a new column nobody classified\n  lastSeenIp String? @map("last_seen_ip")\n',
            ),
          }
        : entry,
    );
    expect(schemas.find((entry) => entry.service === 'push')?.schema).toContain('lastSeenIp');
    expect(checkExportCoverage(schemas, EXPORT_COVERAGE, sampleDocument)).toEqual([
      'push.PushToken.lastSeenIp is neither shown by the export nor listed as not shown (with the reason)',
    ]);
  });

  it('fails for a new service schema, a shown path the export lacks, a missing reason and a stale entry', () => {
    const schemas: ServiceSchema[] = [
      { service: 'contacts', schema: 'model Contact {\n  owner String @id\n}\n' },
      { service: 'push', schema: 'model PushToken {\n  identity String\n  token Bytes\n  flags Int\n}\n' },
    ];
    const coverage = {
      push: {
        PushToken: {
          identity: { shown: 'identity' },
          token: { shown: 'pushtokens[].no_such_key' },
          flags: { notShown: '' },
          gone: { notShown: 'a column that was dropped' },
        },
      },
    };
    expect(checkExportCoverage(schemas, coverage, sampleDocument)).toEqual([
      'contacts.Contact.owner is neither shown by the export nor listed as not shown (with the reason)',
      'push.PushToken.token is listed as shown at pushtokens[].no_such_key, which the export does not contain',
      'push.PushToken.flags is not shown but gives no reason',
      'push.PushToken.gone is covered but no such column exists any more',
    ]);
  });
});

describe('parsePrismaModels', () => {
  it('lists column fields and leaves out relations, block attributes and comments', () => {
    const schema = [
      'model Identity {',
      '  /// doc comment',
      '  id String @id // trailing',
      '  links Link[]',
      '  @@map("identity")',
      '}',
      'model Link {',
      '  id String @id',
      '  identityId String',
      '  identity Identity @relation(fields: [identityId], references: [id])',
      '}',
    ].join('\n');
    expect(parsePrismaModels(schema)).toEqual([
      { name: 'Identity', fields: ['id'] },
      { name: 'Link', fields: ['id', 'identityId'] },
    ]);
  });
});

describe('hasJsonPath', () => {
  it('follows keys and list items', () => {
    expect(hasJsonPath({ a: [{ b: null }] }, 'a[].b')).toBe(true);
    expect(hasJsonPath({ a: [] }, 'a[].b')).toBe(false);
    expect(hasJsonPath({ a: { c: 1 } }, 'a.b')).toBe(false);
  });
});
