import { runService } from '@ots/service-kit';

import { pushService } from './service';

void runService(pushService);
