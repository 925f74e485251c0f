import { randomUUID } from 'node:crypto';

import type { NatsConnection, Subscription } from 'nats';

import type { OwnPushBus } from './ownpush-hub';

/** Core NATS subject shared by the push instances; payload `<instance> <wake|ack> <push ID base64url>`. */
export const OWN_PUSH_BUS_SUBJECT = 'ots.push.ownpush.sync';

/** The own-push bus over core NATS; an instance ignores its own messages. */
export class NatsOwnPushBus implements OwnPushBus {
  private readonly instance = randomUUID();
  private subscription: Subscription | undefined;

  constructor(private readonly connection: NatsConnection) {}

  start(onMessage: (kind: 'wake' | 'ack', pushId: string) => void): void {
    this.subscription = this.connection.subscribe(OWN_PUSH_BUS_SUBJECT, {
      callback: (error, message) => {
        if (error) return;
        const [instance, kind, pushId] = new TextDecoder().decode(message.data).split(' ');
        if (instance === this.instance || !pushId || !/^[A-Za-z0-9_-]{27}$/.test(pushId)) return;
        if (kind === 'wake' || kind === 'ack') onMessage(kind, pushId);
      },
    });
  }

  publish(kind: 'wake' | 'ack', pushId: string): void {
    if (this.connection.isClosed()) return;
    this.connection.publish(
      OWN_PUSH_BUS_SUBJECT,
      new TextEncoder().encode(`${this.instance} ${kind} ${pushId}`),
    );
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }
}
