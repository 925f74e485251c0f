import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { z, type ZodTypeAny } from 'zod';
import * as zodToJsonSchemaModule from 'zod-to-json-schema';

import { API_DOC, type ApiDoc } from './api-doc.decorator';
import { challengeResponse, failureResponse } from './response-schemas';

type JsonObject = Record<string, unknown>;

export interface DocumentedRoute {
  readonly method: string;
  /** OpenAPI form, e.g. /identity/{id} */
  readonly path: string;
  readonly doc: ApiDoc | undefined;
}

const METHOD_NAMES: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

function joinPath(...parts: string[]): string {
  const path = `/${parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Every route of the controllers, read from Nest's own routing metadata (the same the router registers). */
export function documentedRoutes(controllers: readonly Type[]): DocumentedRoute[] {
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) return [];
      return [
        {
          method: METHOD_NAMES[method] ?? 'get',
          path: joinPath(base, path),
          doc: Reflect.getMetadata(API_DOC, handler) as ApiDoc | undefined,
        },
      ];
    });
  });
}

// zod-to-json-schema's generic signature is too deep for tsc on our schemas; the options are what matter
const { zodToJsonSchema: toJsonSchema } = zodToJsonSchemaModule as unknown as {
  zodToJsonSchema: (schema: ZodTypeAny, options: object) => unknown;
};

function schema(zodSchema: ZodTypeAny): JsonObject {
  const json = toJsonSchema(zodSchema, { target: 'openApi3', $refStrategy: 'none' }) as JsonObject;
  delete json.$schema;
  return json;
}

const jsonContent = (zodSchema: ZodTypeAny) => ({ 'application/json': { schema: schema(zodSchema) } });

function operation(route: DocumentedRoute): JsonObject {
  const doc = route.doc;
  if (doc === undefined) throw new Error(`route ${route.method} ${route.path} has no @ApiDocumented`);
  const ok =
    doc.ok === 'text'
      ? { 'text/plain': { schema: { type: 'string' } } }
      : jsonContent(doc.signed === true ? z.union([challengeResponse, doc.ok]) : doc.ok);
  const parameters: JsonObject[] = [];
  for (const match of route.path.matchAll(/\{([^}]+)\}/g)) {
    parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  }
  if (doc.query instanceof z.ZodObject) {
    const shape = doc.query.shape as Record<string, ZodTypeAny>;
    for (const [name, field] of Object.entries(shape)) {
      parameters.push({ name, in: 'query', required: !field.isOptional(), schema: schema(field) });
    }
  }
  return {
    summary: doc.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body === undefined ? {} : { requestBody: { required: true, content: jsonContent(doc.body) } }),
    responses: {
      '200': {
        description:
          doc.signed === true
            ? 'phase 1: the challenge; phase 2 (with token and response): the result, or {success:false}'
            : 'the result, or {success:false} for a refusal the user acts on',
        content: ok,
      },
      '400': { description: 'malformed request', content: jsonContent(failureResponse) },
      '404': { description: 'unknown or revoked identity', content: jsonContent(failureResponse) },
      '429': {
        description: 'rate limit; see Retry-After',
        headers: { 'Retry-After': { schema: { type: 'integer' } } },
        content: jsonContent(failureResponse),
      },
    },
  };
}

/** The OpenAPI 3 document of the directory API, generated from the controllers' routes and their schemas. */
export function buildOpenApiDocument(controllers: readonly Type[], version: string): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of documentedRoutes(controllers)) {
    paths[route.path] ??= {};
    paths[route.path][route.method] = operation(route);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Directory API (Threema-compatible, spec §4)',
      version,
      description:
        'Signed calls use the two-phase challenge/response of spec §4.2: send the body, then the same body with token and response.',
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}
