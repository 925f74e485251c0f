import { runService } from '@ots/service-kit';

import { dataExportService } from './service';

void runService(dataExportService);
