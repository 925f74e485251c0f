import { Controller, Get, Inject, type Type } from '@nestjs/common';
import { z } from 'zod';

import { ApiDocumented } from './openapi/api-doc.decorator';
import { buildOpenApiDocument } from './openapi/openapi-document';

export const DOCUMENTED_CONTROLLERS = Symbol('DOCUMENTED_CONTROLLERS');
export const API_VERSION = Symbol('API_VERSION');

/** Serves the OpenAPI 3 document of the directory API at a stable path under the public identity/ prefix. */
@Controller('identity')
export class OpenApiController {
  private document: Record<string, unknown> | undefined;

  constructor(
    @Inject(DOCUMENTED_CONTROLLERS) private readonly controllers: readonly Type[],
    @Inject(API_VERSION) private readonly version: string,
  ) {}

  @Get('openapi.json')
  @ApiDocumented({ summary: 'this OpenAPI 3 document', ok: z.object({ openapi: z.string() }).passthrough() })
  openApi(): Record<string, unknown> {
    this.document ??= buildOpenApiDocument(this.controllers, this.version);
    return this.document;
  }
}
