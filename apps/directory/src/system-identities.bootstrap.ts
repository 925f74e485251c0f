import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { DIRECTORY_CONFIG, type DirectoryConfig } from './config';
import { RegisterSystemIdentitiesUseCase } from './domain/system-identities/system-identities';

/** Registers DIRECTORY_SYSTEM_IDENTITIES before the service reports started (docs/adr/0018-system-identities.md). */
@Injectable()
export class SystemIdentitiesBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(SystemIdentitiesBootstrap.name);

  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly register: RegisterSystemIdentitiesUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const identities = this.config.DIRECTORY_SYSTEM_IDENTITIES;
    if (identities.length === 0) return;
    const changed = await this.register.execute(identities);
    this.logger.log({ msg: 'system identities registered', configured: identities.length, changed });
  }
}
