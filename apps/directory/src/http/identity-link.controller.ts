import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';

import { FetchPrivateUseCase } from '../domain/fetch-private/fetch-private.usecase';
import { LinkEmailUseCase } from '../domain/link/link-email.usecase';
import type { AlreadyLinked, LinkChallenge } from '../domain/link/link-flow';
import { LinkMobileNoUseCase } from '../domain/link/link-mobile-no.usecase';
import { DirectoryHttpErrorFilter } from './directory-http-error.filter';
import { ApiDocumented } from './openapi/api-doc.decorator';
import * as R from './openapi/response-schemas';
import { DirectoryRateLimitGuard, RateLimited } from './rate-limit.guard';
import {
  decodeEmailConfirmation,
  decodeFetchPriv,
  decodeLinkEmail,
  decodeLinkMobileNo,
  decodeVerificationId,
} from './request-decoding';
import { REQUEST_SCHEMAS } from './request-decoding';
import { toChallengeJson } from './response-encoding';

interface TextReply {
  header(name: string, value: string): unknown;
}

/** spec §4.3 phase 1 of link_*: `{"linked":true}`, or `{"linked":false}` with the challenge. */
function linkPhaseOneJson(result: AlreadyLinked | LinkChallenge) {
  return result.kind === 'linked' ? { linked: true } : { linked: false, ...toChallengeJson(result) };
}

/** spec §4.3 fetch_priv and the e-mail and phone links with their verification. */
@Controller('identity')
@UseFilters(DirectoryHttpErrorFilter)
@UseGuards(DirectoryRateLimitGuard)
export class IdentityLinkController {
  constructor(
    private readonly fetchPrivate: FetchPrivateUseCase,
    private readonly linkEmail: LinkEmailUseCase,
    private readonly linkMobileNo: LinkMobileNoUseCase,
  ) {}

  @Post('fetch_priv')
  @ApiDocumented({
    summary: 'identity/fetch_priv: identity and serverGroup (e-mail and number are stored as hashes only)',
    signed: true,
    body: REQUEST_SCHEMAS.fetchPriv,
    ok: R.fetchPrivResponse,
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async fetchPriv(@Body() body: unknown) {
    const result = await this.fetchPrivate.execute(decodeFetchPriv(body));
    if (result.kind === 'challenge') return toChallengeJson(result);
    return { success: true, identity: result.identity, serverGroup: result.serverGroup };
  }

  @Post('link_email')
  @ApiDocumented({
    summary:
      'identity/link_email: phase 1 says whether linked; phase 2 mails a verification link (empty email unlinks)',
    body: REQUEST_SCHEMAS.linkEmail,
    ok: z.union([R.linkPhaseOneResponse, R.successResponse]),
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async linkEmailAddress(@Body() body: unknown) {
    const result = await this.linkEmail.execute(decodeLinkEmail(body));
    return result.kind === 'done' ? { success: true } : linkPhaseOneJson(result);
  }

  /** The link in the verification e-mail, opened in a browser. */
  @Get('link_email/verify')
  @ApiDocumented({
    summary: 'the verification link from the e-mail',
    query: REQUEST_SCHEMAS.emailConfirmation,
    ok: 'text',
  })
  @RateLimited('lookup')
  async confirmEmail(@Query() query: unknown, @Res({ passthrough: true }) reply: TextReply) {
    const { id, token } = decodeEmailConfirmation(query);
    await this.linkEmail.confirm(id, token);
    // set only on success: failures are answered as JSON by the error filter
    reply.header('content-type', 'text/plain; charset=utf-8');
    return 'Your e-mail address is now linked to your ID. You can close this page.\n';
  }

  @Post('link_mobileno')
  @ApiDocumented({
    summary:
      'identity/link_mobileno: phase 1 says whether linked; phase 2 sends an SMS code (empty mobileNo unlinks); with verificationId and code: verifies',
    body: REQUEST_SCHEMAS.linkMobileNo,
    ok: z.union([R.linkPhaseOneResponse, R.codeSentResponse, R.successResponse]),
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async linkMobileNumber(@Body() body: unknown) {
    const request = decodeLinkMobileNo(body);
    if (request.kind === 'verify') {
      await this.linkMobileNo.verifyCode(request.verificationId, request.code);
      return { success: true };
    }
    const result = await this.linkMobileNo.execute(request);
    if (result.kind === 'sent') return { success: true, verificationId: result.verificationId };
    return result.kind === 'done' ? { success: true } : linkPhaseOneJson(result);
  }

  @Post('link_mobileno_call')
  @ApiDocumented({
    summary: 'identity/link_mobileno_call: read the code out by phone (once)',
    body: REQUEST_SCHEMAS.verificationOnly,
    ok: R.successResponse,
  })
  @RateLimited('signed')
  @HttpCode(HttpStatus.OK)
  async callWithCode(@Body() body: unknown) {
    await this.linkMobileNo.call(decodeVerificationId(body));
    return { success: true };
  }
}
