import { runService } from '@ots/service-kit';

import { contactSyncService } from './service';

void runService(contactSyncService);
