import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';

import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config';
import { CheckIdentitiesUseCase } from '../domain/check-identities/check-identities.usecase';
import { FetchIdentitiesUseCase } from '../domain/fetch-identities/fetch-identities.usecase';
import { DirectoryHttpErrorFilter } from './directory-http-error.filter';
import { ApiDocumented } from './openapi/api-doc.decorator';
import * as R from './openapi/response-schemas';
import { DirectoryRateLimitGuard, RateLimited } from './rate-limit.guard';
import { decodeIdentityList } from './request-decoding';
import { REQUEST_SCHEMAS } from './request-decoding';
import { toCheckJson, toFeatureMasks, toIdentityJson } from './response-encoding';

/** spec §4.3 unsigned look-ups: GET identity/<ID>, fetch_bulk, check, check_featuremask. */
@Controller('identity')
@UseFilters(DirectoryHttpErrorFilter)
@UseGuards(DirectoryRateLimitGuard)
export class IdentityLookupController {
  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly fetchIdentities: FetchIdentitiesUseCase,
    private readonly checkIdentities: CheckIdentitiesUseCase,
  ) {}

  @Get(':id')
  @ApiDocumented({
    summary:
      "GET identity/<ID>: an identity's public key, feature mask, state and type; 404 if unknown or revoked",
    ok: R.identityResponse,
  })
  @RateLimited('lookup')
  async fetch(@Param('id') id: string) {
    return toIdentityJson(await this.fetchIdentities.fetchOne(id));
  }

  @Post('fetch_bulk')
  @ApiDocumented({
    summary: 'identity/fetch_bulk: up to 1000 identities; unknown and revoked ones are left out',
    body: REQUEST_SCHEMAS.identityList,
    ok: R.fetchBulkResponse,
  })
  @RateLimited('lookup')
  @HttpCode(HttpStatus.OK)
  async fetchBulk(@Body() body: unknown) {
    const found = await this.fetchIdentities.fetchMany(decodeIdentityList(body));
    return { identities: found.map(toIdentityJson) };
  }

  @Post('check')
  @ApiDocumented({
    summary: 'identity/check: state, type and feature mask per ID, in request order',
    body: REQUEST_SCHEMAS.identityList,
    ok: R.checkResponse,
  })
  @RateLimited('lookup')
  @HttpCode(HttpStatus.OK)
  async check(@Body() body: unknown) {
    const statuses = await this.checkIdentities.execute(decodeIdentityList(body));
    return toCheckJson(statuses, this.config.DIRECTORY_CHECK_INTERVAL_S);
  }

  @Post('check_featuremask')
  @ApiDocumented({
    summary: 'identity/check_featuremask: feature masks in request order',
    body: REQUEST_SCHEMAS.identityList,
    ok: R.featureMasksResponse,
  })
  @RateLimited('lookup')
  @HttpCode(HttpStatus.OK)
  async checkFeatureMask(@Body() body: unknown) {
    const statuses = await this.checkIdentities.execute(decodeIdentityList(body));
    return { featureMasks: toFeatureMasks(statuses) };
  }
}
