import type { StoredPushToken } from '@ots/push-db';

import type { TokenStore } from './token-store';
import { requireIdentity } from './validation';

/** Everything stored for one identity, for the *MY3DATA export. */
export class ListTokensUseCase {
  constructor(private readonly tokens: TokenStore) {}

  async execute(identity: string): Promise<StoredPushToken[]> {
    requireIdentity(identity);
    return this.tokens.listByIdentity(identity);
  }
}
