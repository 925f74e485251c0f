import { Body, Controller, Header, HttpCode, HttpStatus, Post, UseFilters } from '@nestjs/common';

import { ContactMatchUseCase } from '../domain/contact-match.usecase';
import { ContactSyncHttpErrorFilter } from './contact-sync-http.filter';
import { MatchBodyBytes } from './match-body';
import { matchResponseBody } from './match-response';
import { MatchScratch } from './match-scratch';
import { decodeMatch, decodeMatchBytes, decodeMatchToken } from './request-decoding';

const b64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** spec §4.3 identity/match_token (signed, §4.2) and identity/match. */
@Controller('identity')
@UseFilters(ContactSyncHttpErrorFilter)
export class ContactSyncController {
  constructor(
    private readonly useCase: ContactMatchUseCase,
    /** shared by every request in turn: match() runs synchronously from decoding to the encoded answer */
    private readonly scratch: MatchScratch,
  ) {}

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
  match(@Body() body: unknown): Buffer {
    const { scratch } = this;
    try {
      const request =
        body instanceof MatchBodyBytes ? decodeMatchBytes(body, scratch) : decodeMatch(body, scratch);
      const result = this.useCase.match(request, scratch.matches);
      return matchResponseBody(
        result.identities,
        request.emailHashes,
        request.mobileNoHashes,
        result.checkInterval,
      );
    } finally {
      // the request's hashes and what they matched must not outlive it (docs/adr/0020): overwritten here
      scratch.clear();
      if (body instanceof MatchBodyBytes) body.bytes.fill(0);
    }
  }
}
