import { connect, type NatsConnection, type Subscription } from 'nats';

/** Collects the raw payloads published on one NATS subject, for integration tests. */
export class SubjectRecorder {
  readonly payloads: Uint8Array[] = [];
  private constructor(
    private readonly connection: NatsConnection,
    private readonly subscription: Subscription,
  ) {}

  static async start(url: string, subject: string): Promise<SubjectRecorder> {
    const connection = await connect({ servers: url });
    const subscription = connection.subscribe(subject);
    const recorder = new SubjectRecorder(connection, subscription);
    void (async () => {
      for await (const message of subscription) recorder.payloads.push(message.data);
    })();
    await connection.flush();
    return recorder;
  }

  async close(): Promise<void> {
    this.subscription.unsubscribe();
    await this.connection.close();
  }
}
