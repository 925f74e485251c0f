import { Inject, Injectable, Logger } from '@nestjs/common';

import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config';
import type { SmsGateway } from '../domain/link/link-ports';

const TIMEOUT_MS = 10_000;

/**
 * The pluggable SMS gateway: one HTTP POST per message to DIRECTORY_SMS_GATEWAY_URL with the JSON body
 * `{"channel":"sms"|"voice","to":"<E.164 digits>","text":"…"}` and, if configured, an `Authorization` header.
 * Any 2xx answer means accepted. An adapter for a provider's own API sits behind this shape
 * (docs/adr/0011-link-verification.md).
 */
@Injectable()
export class HttpSmsGateway implements SmsGateway {
  private readonly logger = new Logger('SmsGateway');

  constructor(@Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig) {}

  get available(): boolean {
    return this.config.DIRECTORY_SMS_GATEWAY_URL !== undefined;
  }

  sendSms(to: string, text: string): Promise<void> {
    return this.post({ channel: 'sms', to, text });
  }

  placeCall(to: string, text: string): Promise<void> {
    return this.post({ channel: 'voice', to, text });
  }

  private async post(body: { channel: 'sms' | 'voice'; to: string; text: string }): Promise<void> {
    const url = this.config.DIRECTORY_SMS_GATEWAY_URL;
    if (url === undefined) throw new Error('SMS gateway is not configured');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const authorization = this.config.DIRECTORY_SMS_GATEWAY_AUTHORIZATION;
    if (authorization !== undefined) headers.authorization = authorization;
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.arrayBuffer();
    if (!response.ok) {
      // the status only: never the number or the text (which carries the code)
      this.logger.warn({
        msg: 'SMS gateway refused a message',
        channel: body.channel,
        status: response.status,
      });
      throw new Error(`SMS gateway answered ${String(response.status)}`);
    }
  }
}
