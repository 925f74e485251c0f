import type { Server } from 'node:http';

import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PrismaPushTokenRepository } from '@ots/push-db';
import { NatsClient } from '@ots/service-kit';

import { PUSH_CONFIG, type PushConfig } from '../config';
import type { PushProvider } from '../domain/wakeups/provider';
import { NatsOwnPushBus } from './ownpush/nats-ownpush-bus';
import { OwnPushHub } from './ownpush/ownpush-hub';
import { ApnsProvider } from './providers/apns.provider';
import { FcmProvider } from './providers/fcm.provider';
import { HmsProvider } from './providers/hms.provider';
import { PushMetrics } from './push-metrics';

/** The providers this instance has credentials for; own push is always on. */
@Injectable()
export class PushProviders implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly fcm: FcmProvider | undefined;
  readonly apns: ApnsProvider | undefined;
  readonly hms: HmsProvider | undefined;
  readonly ownPush: OwnPushHub;
  private bus: NatsOwnPushBus | undefined;

  constructor(
    @Inject(PUSH_CONFIG) config: PushConfig,
    tokens: PrismaPushTokenRepository,
    metrics: PushMetrics,
    private readonly httpAdapterHost: HttpAdapterHost,
    private readonly nats: NatsClient,
  ) {
    const timeoutMs = config.PUSH_PROVIDER_TIMEOUT_MS;
    this.fcm = config.PUSH_FCM_SERVICE_ACCOUNT_FILE
      ? new FcmProvider(config.PUSH_FCM_SERVICE_ACCOUNT_FILE, config.PUSH_FCM_API_URL, timeoutMs)
      : undefined;
    this.apns =
      config.PUSH_APNS_KEY_FILE && config.PUSH_APNS_KEY_ID && config.PUSH_APNS_TEAM_ID
        ? new ApnsProvider({
            key: config.PUSH_APNS_KEY_FILE,
            keyId: config.PUSH_APNS_KEY_ID,
            teamId: config.PUSH_APNS_TEAM_ID,
            productionUrl: config.PUSH_APNS_PRODUCTION_URL,
            developmentUrl: config.PUSH_APNS_DEVELOPMENT_URL,
            ca: config.PUSH_APNS_CA_FILE,
          })
        : undefined;
    this.hms =
      config.PUSH_HMS_CLIENT_ID && config.PUSH_HMS_CLIENT_SECRET_FILE
        ? new HmsProvider({
            clientId: config.PUSH_HMS_CLIENT_ID,
            clientSecret: config.PUSH_HMS_CLIENT_SECRET_FILE,
            oauthUrl: config.PUSH_HMS_OAUTH_URL,
            apiUrl: config.PUSH_HMS_API_URL,
            timeoutMs,
          })
        : undefined;
    this.ownPush = new OwnPushHub(tokens, config.PUSH_OWNPUSH_KEEPALIVE_S, (count) => {
      metrics.ownPushConnections.set(count);
    });
  }

  get all(): PushProvider[] {
    const all: (PushProvider | undefined)[] = [this.fcm, this.apns, this.hms, this.ownPush];
    return all.filter((p): p is PushProvider => p !== undefined);
  }

  onApplicationBootstrap(): void {
    this.ownPush.attach(this.httpAdapterHost.httpAdapter.getHttpServer() as Server);
    // in the background: NATS may come later; until then this instance serves its own connections only
    void this.nats.connected.then(
      (connection) => {
        const bus = new NatsOwnPushBus(connection);
        bus.start((kind, pushId) => {
          this.ownPush.onBusMessage(kind, pushId);
        });
        this.ownPush.connectBus(bus);
        this.bus = bus;
      },
      () => undefined,
    );
  }

  beforeApplicationShutdown(): void {
    this.bus?.stop();
    this.ownPush.close();
    this.fcm?.close();
    this.apns?.close();
  }
}
