import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config';
import type { VerificationMailer } from '../domain/link/link-ports';

const TEXT = {
  en: {
    subject: 'Confirm your e-mail address',
    body: (link: string) =>
      `Please open this link to link this e-mail address to your ID:\n\n${link}\n\nIf you did not ask for this, ignore this e-mail.\n`,
  },
  de: {
    subject: 'Bestätigen Sie Ihre E-Mail-Adresse',
    body: (link: string) =>
      `Bitte öffnen Sie diesen Link, um diese E-Mail-Adresse mit Ihrer ID zu verknüpfen:\n\n${link}\n\nFalls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail.\n`,
  },
} as const;

/** Verification e-mails over SMTP (nodemailer). Without DIRECTORY_SMTP_HOST, e-mail linking is unavailable. */
@Injectable()
export class SmtpVerificationMailer implements VerificationMailer, OnApplicationShutdown {
  private readonly transport: Transporter | undefined;
  private readonly logger = new Logger('VerificationMailer');

  constructor(@Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig) {
    this.transport =
      config.DIRECTORY_SMTP_HOST === undefined
        ? undefined
        : createTransport({
            host: config.DIRECTORY_SMTP_HOST,
            port: config.DIRECTORY_SMTP_PORT,
            secure: config.DIRECTORY_SMTP_SECURE,
            connectionTimeout: 10_000,
            greetingTimeout: 10_000,
            socketTimeout: 20_000,
          });
  }

  get available(): boolean {
    return this.transport !== undefined;
  }

  async sendEmailVerification(to: string, link: string, lang: string | undefined): Promise<void> {
    if (this.transport === undefined) throw new Error('SMTP is not configured');
    const text = lang === 'de' ? TEXT.de : TEXT.en;
    try {
      await this.transport.sendMail({
        from: this.config.DIRECTORY_SMTP_FROM,
        to,
        subject: text.subject,
        text: text.body(link),
      });
    } catch (error) {
      // only nodemailer's error code: its messages can quote the recipient's address
      const code = (error as { code?: unknown }).code;
      this.logger.warn({
        msg: 'verification e-mail not sent',
        code: typeof code === 'string' ? code : 'unknown',
      });
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
