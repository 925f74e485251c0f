import { Body, Controller, HttpCode, HttpStatus, Post, UseFilters, UseGuards } from '@nestjs/common';

import { CreateIdentityUseCase } from '../domain/create-identity/create-identity.usecase';
import { SetFeatureMaskUseCase } from '../domain/set-feature-mask/set-feature-mask.usecase';
import { DirectoryMetrics } from '../infrastructure/directory-metrics';
import { DirectoryHttpErrorFilter } from './directory-http-error.filter';
import { ApiDocumented } from './openapi/api-doc.decorator';
import * as R from './openapi/response-schemas';
import { DirectoryRateLimitGuard, RateLimited } from './rate-limit.guard';
import { decodeCreateIdentity, decodeSetFeatureMask } from './request-decoding';
import { REQUEST_SCHEMAS } from './request-decoding';
import { toChallengeJson } from './response-encoding';

/** spec §4.2/§4.3 signed calls: phase 1 answers a challenge, phase 2 (token + response) performs the action. */
@Controller('identity')
@UseFilters(DirectoryHttpErrorFilter)
@UseGuards(DirectoryRateLimitGuard)
export class IdentitySignedController {
  constructor(
    private readonly createIdentity: CreateIdentityUseCase,
    private readonly setFeatureMask: SetFeatureMaskUseCase,
    private readonly metrics: DirectoryMetrics,
  ) {}

  @Post('create')
  @ApiDocumented({
    summary: 'identity/create: a new random ID for the public key whose secret key answers the challenge',
    signed: true,
    body: REQUEST_SCHEMAS.createIdentity,
    ok: R.createdResponse,
  })
  @RateLimited('create')
  @HttpCode(HttpStatus.OK)
  async create(@Body() body: unknown) {
    const result = await this.createIdentity.execute(decodeCreateIdentity(body));
    if (result.kind === 'challenge') return toChallengeJson(result);
    this.metrics.identityCreated();
    return { success: true, identity: result.identity, serverGroup: result.serverGroup };
  }

  @Post('set_featuremask')
  @ApiDocumented({
    summary: 'identity/set_featuremask',
    signed: true,
    body: REQUEST_SCHEMAS.setFeatureMask,
    ok: R.successResponse,
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async setFeatureMaskOf(@Body() body: unknown) {
    const result = await this.setFeatureMask.execute(decodeSetFeatureMask(body));
    if (result.kind === 'challenge') return toChallengeJson(result);
    return { success: true };
  }
}
