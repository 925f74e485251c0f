import type { RateLimitDecision } from '@ots/rate-limit';

import { buildExportDocument } from './export-document';
import type { DirectoryInventorySource, MailboxInventorySource, PushTokenSource } from './inventory';

export const HELP_TEXT = [
  'Commands:',
  'info: all data the server stores about your identity, as JSON',
  'help: this list',
].join('\n');

export enum ReplyKind {
  Export = 'export',
  Help = 'help',
  RateLimited = 'rate-limited',
  /** the sender is unknown to the directory or revoked: nothing to export */
  NoData = 'no-data',
  /** a source service failed; the user may ask again */
  Unavailable = 'unavailable',
}

export interface Reply {
  readonly kind: ReplyKind;
  readonly text: string;
}

/** Counts export requests per identity (in memory); SlidingWindowLimiter in production. */
export interface ExportRateLimiter {
  consume(key: string): RateLimitDecision;
}

/**
 * What the `*MY3DATA` bot answers to a text (spec §8.1): `info` gets the JSON of everything stored about the sender,
 * gathered from directory, push and mailbox; `help` and anything else get the command list. Exports are rate
 * limited per identity; a refusal is a text reply, and it never touches other identities' budgets.
 */
export class AnswerCommandUseCase {
  constructor(
    private readonly directory: DirectoryInventorySource,
    private readonly push: PushTokenSource,
    private readonly mailbox: MailboxInventorySource,
    private readonly limiter: ExportRateLimiter,
  ) {}

  async execute(sender: string, text: string): Promise<Reply> {
    if (text.trim().toLowerCase() !== 'info') return { kind: ReplyKind.Help, text: HELP_TEXT };
    const decision = this.limiter.consume(sender);
    if (!decision.allowed) {
      const minutes = Math.max(1, Math.ceil(decision.retryAfterSeconds / 60));
      return {
        kind: ReplyKind.RateLimited,
        text: `Too many export requests. Please try again in ${String(minutes)} minute${minutes === 1 ? '' : 's'}.`,
      };
    }
    try {
      const directory = await this.directory.inventoryOf(sender);
      if (directory === undefined || directory.state === 'revoked') {
        return { kind: ReplyKind.NoData, text: 'No data is stored for this identity.' };
      }
      const [devices, mailbox] = await Promise.all([
        this.push.tokensOf(sender),
        this.mailbox.inventoryOf(sender),
      ]);
      return {
        kind: ReplyKind.Export,
        text: JSON.stringify(buildExportDocument(directory, devices, mailbox)),
      };
    } catch {
      return {
        kind: ReplyKind.Unavailable,
        text: 'The export is unavailable at the moment. Please try again later.',
      };
    }
  }
}
