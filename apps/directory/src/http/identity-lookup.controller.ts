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
import { DirectoryRateLimitGuard, RateLimited } from './rate-limit.guard';
import { decodeIdentityList } from './request-decoding';
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
  @RateLimited('lookup')
  async fetch(@Param('id') id: string) {
    return toIdentityJson(await this.fetchIdentities.fetchOne(id));
  }

  @Post('fetch_bulk')
  @RateLimited('lookup')
  @HttpCode(HttpStatus.OK)
  async fetchBulk(@Body() body: unknown) {
    const found = await this.fetchIdentities.fetchMany(decodeIdentityList(body));
    return { identities: found.map(toIdentityJson) };
  }

  @Post('check')
  @RateLimited('lookup')
  @HttpCode(HttpStatus.OK)
  async check(@Body() body: unknown) {
    const statuses = await this.checkIdentities.execute(decodeIdentityList(body));
    return toCheckJson(statuses, this.config.DIRECTORY_CHECK_INTERVAL_S);
  }

  @Post('check_featuremask')
  @RateLimited('lookup')
  @HttpCode(HttpStatus.OK)
  async checkFeatureMask(@Body() body: unknown) {
    const statuses = await this.checkIdentities.execute(decodeIdentityList(body));
    return { featureMasks: toFeatureMasks(statuses) };
  }
}
