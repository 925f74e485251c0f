import {
  type CreatedIdentity,
  DirectoryClientError,
  DirectoryClientErrorCode,
  type DirectoryIdentity,
} from '@ots/client';
import { generateX25519KeyPair } from '@ots/crypto';

import type { DirectoryApi } from '../src/cli-context';

/** The directory calls of the CLI, in memory: sequential IDs, server group "4a". */
export class FakeDirectory implements DirectoryApi {
  readonly created: string[] = [];
  private readonly keys = new Map<string, Uint8Array>();

  add(identity: string, publicKey: Uint8Array): void {
    this.keys.set(identity, publicKey);
  }

  remove(identity: string): void {
    this.keys.delete(identity);
  }

  createIdentity(): Promise<CreatedIdentity> {
    const identity = `TEST${String(this.created.length + 1).padStart(4, '0')}`;
    const keyPair = generateX25519KeyPair();
    this.created.push(identity);
    this.add(identity, keyPair.publicKey);
    return Promise.resolve({ identity, serverGroup: '4a', ...keyPair });
  }

  fetchIdentity(identity: string): Promise<DirectoryIdentity> {
    const publicKey = this.keys.get(identity);
    if (publicKey === undefined) {
      return Promise.reject(
        new DirectoryClientError(DirectoryClientErrorCode.NOT_FOUND, 'identity/<ID>: HTTP 404', 404),
      );
    }
    return Promise.resolve({ identity, publicKey, featureMask: 0, state: 0, type: 0 });
  }
}
