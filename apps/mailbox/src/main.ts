import { runService } from '@ots/service-kit';

import { mailboxService } from './service';

void runService(mailboxService);
