import { Body, Controller, HttpCode, HttpStatus, Post, UseFilters } from '@nestjs/common';

import { ContactMatchUseCase } from '../domain/contact-match.usecase';
import { ContactSyncHttpErrorFilter } from './contact-sync-http.filter';
import { decodeMatch, decodeMatchToken } from './request-decoding';

const b64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** spec §4.3 identity/match_token (signed, §4.2) and identity/match. */
@Controller('identity')
@UseFilters(ContactSyncHttpErrorFilter)
export class ContactSyncController {
  constructor(private readonly useCase: ContactMatchUseCase) {}

  @Post('match_token')
  @HttpCode(HttpStatus.OK)
  async matchToken(@Body() body: unknown) {
    const result = await this.useCase.matchToken(decodeMatchToken(body));
    if (result.kind === 'challenge') {
      return { token: b64(result.token), tokenRespKeyPub: b64(result.tokenRespKeyPub) };
    }
    return { success: true, matchToken: result.matchToken };
  }

  @Post('match')
  @HttpCode(HttpStatus.OK)
  match(@Body() body: unknown) {
    const result = this.useCase.match(decodeMatch(body));
    return {
      identities: result.identities.map((match) => ({
        identity: match.identity,
        publicKey: b64(match.publicKey),
        ...(match.emailHash !== undefined ? { emailHash: b64(match.emailHash) } : {}),
        ...(match.mobileNoHash !== undefined ? { mobileNoHash: b64(match.mobileNoHash) } : {}),
      })),
      checkInterval: result.checkInterval,
    };
  }
}
