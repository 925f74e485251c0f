import type { FastifyInstance } from 'fastify';

import { DirectoryHttpClient } from '../../test/directory-http-client';
import { startDirectoryForTest, type TestDirectory } from '../../test/start-directory';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { summary: string; responses: Record<string, unknown> }>>;
}

/**
 * Method and path (OpenAPI form) of every route Fastify actually serves, read from its printed route tree: each
 * line is a node (4 characters of tree drawing per level) whose text continues its parent's path.
 */
function servedRoutes(fastify: FastifyInstance): string[] {
  const routes: string[] = [];
  const pathAtDepth: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│├└─\s]*)(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = Math.floor(match[1].length / 4);
    const fullPath = (depth === 0 ? '' : (pathAtDepth[depth - 1] ?? '')) + match[2];
    pathAtDepth[depth] = fullPath;
    // an optional group that did not take part is undefined at run time (the typings say string)
    const methods = match[3] as string | undefined;
    if (methods === undefined) continue;
    const path = fullPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of methods.split(',').map((m) => m.trim().toLowerCase())) {
      if (method !== 'head') routes.push(`${method} ${path}`);
    }
  }
  return routes.sort();
}

describe('OpenAPI document of the directory API', () => {
  let directory: TestDirectory;
  let http: DirectoryHttpClient;

  beforeAll(async () => {
    directory = await startDirectoryForTest();
    http = new DirectoryHttpClient((path) => directory.url(path));
  });

  afterAll(async () => {
    await directory.stop();
  });

  it('is served at identity/openapi.json and lists every identity/ route the server serves', async () => {
    const reply = await http.get('identity/openapi.json');
    expect(reply.status).toBe(200);
    const document = reply.json as unknown as OpenApiDocument;
    expect(document.openapi).toMatch(/^3\./);

    const fastify = directory.service.app.getHttpAdapter().getInstance() as FastifyInstance;
    const served = servedRoutes(fastify).filter((route) => route.includes(' /identity'));
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    // sanity: the route tree was read (all spec §4.3 calls of this service and the helpers)
    expect(served.length).toBeGreaterThanOrEqual(16);
    expect(documented).toEqual(served);
  });

  it('describes each operation with a summary and the shared failure answers', async () => {
    const document = (await http.get('identity/openapi.json')).json as unknown as OpenApiDocument;
    const create = document.paths['/identity/create'].post as unknown as {
      summary: string;
      requestBody: {
        content: {
          'application/json': { schema: { properties: Record<string, unknown>; required: string[] } };
        };
      };
      responses: Record<string, unknown>;
    };
    expect(create.summary).toContain('identity/create');
    const body = create.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['publicKey', 'token', 'response']));
    expect(body.required).toEqual(['publicKey']);
    expect(Object.keys(create.responses)).toEqual(['200', '400', '404', '429']);
    expect(document.paths['/identity/{id}'].get.summary).toContain('GET identity/<ID>');
  });
});
