import { runService } from '@ots/service-kit';

import { directoryService } from './service';

void runService(directoryService);
