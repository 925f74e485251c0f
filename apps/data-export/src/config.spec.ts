import { describeCommonServiceConfig } from '@ots/testing';

import { loadDataExportConfig } from './config';

describeCommonServiceConfig('data-export', loadDataExportConfig, {
  NATS_URL: 'nats://127.0.0.1:4222',
  DIRECTORY_GRPC_URL: 'directory:9101',
});
