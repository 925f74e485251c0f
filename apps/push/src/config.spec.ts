import { describeCommonServiceConfig } from '@ots/testing';

import { loadPushConfig } from './config';

describeCommonServiceConfig('push', loadPushConfig, { NATS_URL: 'nats://127.0.0.1:4222' });
