import { Body, Controller, Header, HttpCode, HttpStatus, Post, UseFilters } from '@nestjs/common';

import { ContactMatchUseCase } from '../domain/contact-match.usecase';
import { ContactSyncHttpErrorFilter } from './contact-sync-http.filter';
import { matchResponseJson } from './match-response';
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
  @Header('Content-Type', 'application/json; charset=utf-8')
  match(@Body() body: unknown): string {
    const result = this.useCase.match(decodeMatch(body));
    return matchResponseJson(result.identities, result.checkInterval);
  }
}
