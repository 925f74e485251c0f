import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { MatchBodyBytes, scanMatchBody } from './match-body';

type Fastify = ReturnType<ReturnType<NestFastifyApplication['getHttpAdapter']>['getInstance']>;
type Done = NonNullable<Parameters<ReturnType<Fastify['getDefaultJsonParser']>>[2]>;

/**
 * contact-sync's parser of JSON bodies, in place of the one Nest registers: the same Fastify JSON parser
 * (prototype-poisoning checks on, the same body limit and the same 400 answers) for every route, except that an
 * identity/match body in the common case (match-body.ts) is passed on as its bytes, to be decoded by the
 * controller straight into its scratch. Call after the Nest app is initialised, before it listens.
 */
export function installMatchBodyParser(fastify: Fastify, matchUrl: string): void {
  const defaultParser = fastify.getDefaultJsonParser('error', 'error');
  // typed for a string body, it takes the Buffer as well (secure-json-parse decodes it; Nest passes it one too)
  const generic = (request: Parameters<typeof defaultParser>[0], body: Buffer, done: Done) => {
    void defaultParser(request, body as unknown as string, done);
  };
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: fastify.initialConfig.bodyLimit },
    (request, body: Buffer, done) => {
      if (request.routeOptions.url !== matchUrl) {
        generic(request, body, done);
        return;
      }
      const scanned = scanMatchBody(body);
      if (scanned !== undefined) {
        done(null, new MatchBodyBytes(body, scanned));
        return;
      }
      generic(request, body, done);
      // parsed (or refused) synchronously: the raw bytes of a match request are no longer needed
      body.fill(0);
    },
  );
}
