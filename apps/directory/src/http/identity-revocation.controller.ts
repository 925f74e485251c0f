import { Body, Controller, HttpCode, HttpStatus, Post, UseFilters, UseGuards } from '@nestjs/common';

import {
  CheckRevocationKeyUseCase,
  RevokeIdentityUseCase,
  SetRevocationKeyUseCase,
} from '../domain/revocation/revocation.usecases';
import { DirectoryHttpErrorFilter } from './directory-http-error.filter';
import { ApiDocumented } from './openapi/api-doc.decorator';
import * as R from './openapi/response-schemas';
import { DirectoryRateLimitGuard, RateLimited } from './rate-limit.guard';
import { decodeSetRevocationKey, decodeSignedByIdentity, decodeWebRevoke } from './request-decoding';
import { REQUEST_SCHEMAS } from './request-decoding';
import { toChallengeJson, toRevocationKeyJson } from './response-encoding';

/** spec §4.3 revocation: set/check the revocation key (signed), revoke (signed) and ws/revoke (by key). */
@Controller('identity')
@UseFilters(DirectoryHttpErrorFilter)
@UseGuards(DirectoryRateLimitGuard)
export class IdentityRevocationController {
  constructor(
    private readonly setRevocationKey: SetRevocationKeyUseCase,
    private readonly checkRevocationKey: CheckRevocationKeyUseCase,
    private readonly revokeIdentity: RevokeIdentityUseCase,
  ) {}

  @Post('set_revocation_key')
  @ApiDocumented({
    summary: 'identity/set_revocation_key: revocationKey = base64(SHA-256(password)[0..4])',
    signed: true,
    body: REQUEST_SCHEMAS.setRevocationKey,
    ok: R.successResponse,
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async setKey(@Body() body: unknown) {
    const result = await this.setRevocationKey.execute(decodeSetRevocationKey(body));
    return result.kind === 'challenge' ? toChallengeJson(result) : { success: true };
  }

  @Post('check_revocation_key')
  @ApiDocumented({
    summary: 'identity/check_revocation_key',
    signed: true,
    body: REQUEST_SCHEMAS.signedByIdentity,
    ok: R.revocationKeyResponse,
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async checkKey(@Body() body: unknown) {
    const result = await this.checkRevocationKey.execute(decodeSignedByIdentity(body));
    return result.kind === 'challenge' ? toChallengeJson(result) : toRevocationKeyJson(result.lastChanged);
  }

  @Post('revoke')
  @ApiDocumented({
    summary: 'identity/revoke: revoke by proving the secret key',
    signed: true,
    body: REQUEST_SCHEMAS.signedByIdentity,
    ok: R.successResponse,
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async revoke(@Body() body: unknown) {
    const result = await this.revokeIdentity.bySignature(decodeSignedByIdentity(body));
    return result.kind === 'challenge' ? toChallengeJson(result) : { success: true };
  }

  // counted per identity like signed calls: the 4-byte key cannot be guessed faster than the limit allows
  @Post('ws/revoke')
  @ApiDocumented({
    summary: 'identity/ws/revoke: revoke with the revocation key',
    body: REQUEST_SCHEMAS.webRevoke,
    ok: R.successResponse,
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async revokeWithKey(@Body() body: unknown) {
    await this.revokeIdentity.byRevocationKey(decodeWebRevoke(body));
    return { success: true };
  }
}
