import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type CspConnect, Messenger, type PublicKeyLookup, type ReceivedText } from '@ots/client';
import { MessageFlag } from '@ots/protocol';

import type { AnswerCommandUseCase, Reply } from '../domain/answer-command.usecase';

export interface My3dataBotSettings {
  readonly identity: string;
  readonly secretKey: Uint8Array;
  readonly host: string;
  readonly port: number;
  readonly serverPublicKey: Uint8Array;
  readonly reconnectMs: number;
}

export interface My3dataBotDependencies {
  readonly connect: CspConnect;
  readonly publicKeys: PublicKeyLookup;
  readonly answer: AnswerCommandUseCase;
  /** called with each reply's kind (metrics) */
  readonly onReply?: (reply: Reply) => void;
}

export const MY3DATA_BOT_SETTINGS = Symbol('MY3DATA_BOT_SETTINGS');
export const MY3DATA_BOT_DEPENDENCIES = Symbol('MY3DATA_BOT_DEPENDENCIES');

/**
 * The `*MY3DATA` bot (spec §8.1): an ordinary chat client of the mailbox that answers each text end-to-end
 * encrypted. It logs in at start and again after every drop or failed login (after `reconnectMs`), until shutdown.
 * Incoming texts are acked only after the reply was accepted by the server, so a reply lost to a drop is answered
 * again after the next login.
 */
@Injectable()
export class My3dataBot implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(My3dataBot.name);
  private messenger: Messenger | undefined;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private connectedOnce: (() => void) | undefined;
  /** Resolves at the first successful login (tests wait for it). */
  readonly firstLogin: Promise<void>;

  constructor(
    @Inject(MY3DATA_BOT_SETTINGS) private readonly settings: My3dataBotSettings,
    @Inject(MY3DATA_BOT_DEPENDENCIES) private readonly deps: My3dataBotDependencies,
  ) {
    this.firstLogin = new Promise((resolve) => (this.connectedOnce = resolve));
  }

  /** True while logged in (readiness). */
  get connected(): boolean {
    return this.messenger !== undefined;
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.messenger?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const messenger = await Messenger.connect({
          connect: this.deps.connect,
          identity: this.settings.identity,
          secretKey: this.settings.secretKey,
          publicKeys: this.deps.publicKeys,
          login: {
            host: this.settings.host,
            port: this.settings.port,
            serverPublicKey: this.settings.serverPublicKey,
          },
        });
        if (this.isStopped()) {
          await messenger.close();
          break;
        }
        this.messenger = messenger;
        messenger.onProblem(({ dropped }) => {
          this.logger.warn({ msg: 'incoming message not handled', dropped });
        });
        messenger.onText((text) => this.answer(messenger, text));
        this.logger.log({ msg: 'logged in to the chat server' });
        this.connectedOnce?.();
        const closed = await messenger.closed;
        this.messenger = undefined;
        if (this.isStopped()) break;
        this.logger.warn({
          msg: 'chat server connection closed; logging in again',
          reason: closed.closeErrorMessage ?? closed.error?.message ?? 'closed',
        });
      } catch (error) {
        this.messenger = undefined;
        if (this.isStopped()) break;
        this.logger.warn({
          msg: 'login to the chat server failed; retrying',
          error: (error as Error).message,
        });
      }
      await this.pause();
    }
  }

  /** Read through a call: shutdown flips the flag while run() awaits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.settings.reconnectMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async answer(messenger: Messenger, text: ReceivedText): Promise<void> {
    const reply = await this.deps.answer.execute(text.from, text.text);
    this.deps.onReply?.(reply);
    // the reply is the answer to a request the user just made: pushed like any message, no receipt expected
    await messenger.sendText(text.from, reply.text, {
      flags: MessageFlag.SEND_PUSH_NOTIFICATION | MessageFlag.NO_DELIVERY_RECEIPTS,
    });
  }
}
