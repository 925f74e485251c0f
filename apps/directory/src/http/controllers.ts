import type { Type } from '@nestjs/common';

import { IdentityLinkController } from './identity-link.controller';
import { IdentityLookupController } from './identity-lookup.controller';
import { IdentityRevocationController } from './identity-revocation.controller';
import { IdentitySignedController } from './identity-signed.controller';
import { OpenApiController } from './openapi.controller';

/** Every HTTP controller of the directory: the module registers them, the OpenAPI document describes them. */
export const DIRECTORY_HTTP_CONTROLLERS: readonly Type[] = [
  // static paths (openapi.json, link_email/verify) are matched before GET identity/:id by the router
  OpenApiController,
  IdentityLookupController,
  IdentitySignedController,
  IdentityRevocationController,
  IdentityLinkController,
];
