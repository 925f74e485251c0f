import { Metadata } from '@grpc/grpc-js';
import { DirectoryClientError, DirectoryClientErrorCode, type PublicKeyLookup } from '@ots/client';
import { directoryV1 } from '@ots/contracts';

const CALL_TIMEOUT_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Peers' public keys for the bot's Messenger, from directory.v1 GetIdentities (inside the cluster, no public API
 * round trip). Keys of active and inactive identities are cached (a key never changes); unknown and revoked
 * identities fail with NOT_FOUND, which makes the Messenger ack and drop their messages.
 */
export class GrpcPublicKeys implements PublicKeyLookup {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(private readonly client: directoryV1.DirectoryServiceClient) {}

  async publicKeyOf(identity: string): Promise<Uint8Array> {
    const cached = this.cache.get(identity);
    if (cached !== undefined) return cached;
    const response = await new Promise<directoryV1.GetIdentitiesResponse>((resolve, reject) => {
      this.client.getIdentities(
        { identities: [identity] },
        new Metadata(),
        { deadline: new Date(Date.now() + CALL_TIMEOUT_MS) },
        (error, value) => {
          if (error) reject(error);
          else resolve(value);
        },
      );
    });
    const found = response.identities.find((entry) => entry.identity === identity);
    if (found === undefined || found.state === directoryV1.IdentityState.IDENTITY_STATE_REVOKED) {
      this.cache.delete(identity);
      throw new DirectoryClientError(DirectoryClientErrorCode.NOT_FOUND, 'identity not found');
    }
    if (this.cache.size >= MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    this.cache.set(identity, found.publicKey);
    return found.publicKey;
  }
}
