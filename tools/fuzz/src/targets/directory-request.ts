/* eslint-disable @nx/enforce-module-boundaries -- the fuzzer drives the directory's own request validation directly (docs/adr/0023) */
import { DirectoryError, DirectoryErrorCode } from '../../../../apps/directory/src/domain/directory-error';
import {
  decodeCreateIdentity,
  decodeEmailConfirmation,
  decodeFetchPriv,
  decodeIdentityList,
  decodeLinkEmail,
  decodeLinkMobileNo,
  decodeSetFeatureMask,
  decodeSetRevocationKey,
  decodeSignedByIdentity,
  decodeVerificationId,
  decodeWebRevoke,
} from '../../../../apps/directory/src/http/request-decoding';
/* eslint-enable @nx/enforce-module-boundaries */
import { ascii, decodeOrRefuse, type FuzzTarget, requireBoundedOutput, select } from './target';

// spec §4.3: the validation of the directory's JSON request bodies (and the e-mail confirmation query), called
// directly as the HTTP controllers call it after Fastify parsed the JSON. The first byte picks the endpoint's
// decoder, the rest is the body's JSON text; text that is not JSON is Fastify's to refuse and is skipped.

const isInvalidRequest = (error: unknown): boolean =>
  error instanceof DirectoryError && error.code === DirectoryErrorCode.InvalidRequest;

const DECODERS: readonly ((body: unknown) => unknown)[] = [
  decodeIdentityList,
  decodeCreateIdentity,
  decodeSetFeatureMask,
  decodeSignedByIdentity,
  decodeSetRevocationKey,
  decodeWebRevoke,
  decodeFetchPriv,
  decodeLinkEmail,
  decodeLinkMobileNo,
  decodeVerificationId,
  decodeEmailConfirmation,
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Uint8Array): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(utf8.decode(bytes)) as unknown };
  } catch {
    return undefined;
  }
}

function withSelector(which: number, json: unknown): Uint8Array {
  return new Uint8Array(Buffer.concat([Uint8Array.of(which), Buffer.from(JSON.stringify(json), 'utf8')]));
}

const PUBLIC_KEY = Buffer.alloc(32, 0x5a).toString('base64');
const TOKEN = '/6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=';
const RESPONSE = 'IhmVc7ZNSupA+D8/HhSP5valHV1GXK4JMWKs21XkUps=';

export const directoryRequestTarget: FuzzTarget = {
  name: 'directory-request',
  // zod's own code too: its branches are where the validation decides
  coverage: ['apps/directory/src/http/request-decoding.ts', 'node_modules/zod/v3'],
  dictionary: [
    'identities',
    'identity',
    'publicKey',
    'token',
    'response',
    'featureMask',
    'revocationKey',
    'lang',
    'appVariant',
    'email',
    'mobileNo',
    'httpsUrl',
    'urlScheme',
    'verificationId',
    'code',
    'id',
    '__proto__',
    'constructor',
    'null',
    'true',
    '[]',
    '{}',
    '1e309',
    '-0',
    '9007199254740993',
    '"ECHOECHO"',
    `"${TOKEN}"`,
    '"=="',
    '"\\u0000"',
    '"\\ud800"',
  ].map(ascii),
  maxInputLength: 4096,
  run(input) {
    const { which, body } = select(input, DECODERS.length);
    const parsed = parseJson(body);
    if (!parsed) return;
    const decoded = decodeOrRefuse(() => DECODERS[which](parsed.value), isInvalidRequest);
    if (decoded !== undefined) requireBoundedOutput(decoded, body.length, `decoder ${String(which)}`);
  },
  seeds() {
    return [
      { name: 'identities', bytes: withSelector(0, { identities: ['ECHOECHO', '0HPT9EWD'] }) },
      { name: 'create-identity', bytes: withSelector(1, { publicKey: PUBLIC_KEY }) },
      {
        name: 'create-identity-answer',
        bytes: withSelector(1, { publicKey: PUBLIC_KEY, token: TOKEN, response: RESPONSE }),
      },
      { name: 'set-feature-mask', bytes: withSelector(2, { identity: 'ECHOECHO', featureMask: 15 }) },
      { name: 'revoke', bytes: withSelector(3, { identity: 'ECHOECHO', lang: 'de' }) },
      {
        name: 'set-revocation-key',
        bytes: withSelector(4, { identity: 'ECHOECHO', revocationKey: 'AAECAw==' }),
      },
      { name: 'web-revoke', bytes: withSelector(5, { identity: 'ECHOECHO', revocationKey: 'AAECAw==' }) },
      { name: 'fetch-priv', bytes: withSelector(6, { identity: 'ECHOECHO', appVariant: 'work' }) },
      {
        name: 'link-email',
        bytes: withSelector(7, { identity: 'ECHOECHO', email: 'test@threema.ch', lang: 'en' }),
      },
      {
        name: 'link-mobile',
        bytes: withSelector(8, {
          identity: 'ECHOECHO',
          mobileNo: '41791234567',
          httpsUrl: true,
          urlScheme: false,
        }),
      },
      { name: 'verify-mobile', bytes: withSelector(8, { verificationId: 'v-1', code: '123456' }) },
      { name: 'verification-id', bytes: withSelector(9, { verificationId: 'v-1' }) },
      { name: 'email-confirmation', bytes: withSelector(10, { id: 'v-1', token: 'abc' }) },
    ];
  },
};
