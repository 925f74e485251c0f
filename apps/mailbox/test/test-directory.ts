import { type sendUnaryData, Server, ServerCredentials, type ServerUnaryCall, status } from '@grpc/grpc-js';
import { directoryV1 } from '@ots/contracts';

/**
 * A directory.v1 gRPC server holding identities in memory, for the mailbox's own integration tests (the whole
 * system with the real directory is exercised by the end-to-end suite). It speaks the real contract over a real
 * socket and records the RecordLogins calls it receives.
 */
export class TestDirectoryServer {
  private readonly identities = new Map<string, directoryV1.Identity>();
  readonly logins: directoryV1.LoginRecord[] = [];
  getIdentitiesCalls = 0;
  streamIdentitiesCalls = 0;
  private server: Server | undefined;
  port = 0;

  add(
    identity: string,
    publicKey: Uint8Array,
    state = directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
  ): void {
    this.identities.set(identity, {
      identity,
      publicKey: Buffer.from(publicKey),
      state,
      type: directoryV1.IdentityType.IDENTITY_TYPE_REGULAR,
      featureMask: 0n,
      serverGroup: '00',
    });
  }

  setState(identity: string, state: directoryV1.IdentityState): void {
    const existing = this.identities.get(identity);
    if (existing) this.identities.set(identity, { ...existing, state });
  }

  async start(): Promise<number> {
    const server = new Server();
    const unimplemented = (_call: unknown, callback: sendUnaryData<never>): void => {
      callback({ code: status.UNIMPLEMENTED, details: 'not part of the test directory' });
    };
    const implementation: directoryV1.DirectoryServiceServer = {
      getIdentities: (
        call: ServerUnaryCall<directoryV1.GetIdentitiesRequest, directoryV1.GetIdentitiesResponse>,
        callback: sendUnaryData<directoryV1.GetIdentitiesResponse>,
      ) => {
        this.getIdentitiesCalls += 1;
        const found: directoryV1.Identity[] = [];
        const unknown: string[] = [];
        for (const id of call.request.identities) {
          const identity = this.identities.get(id);
          if (identity) found.push(identity);
          else unknown.push(id);
        }
        callback(null, { identities: found, unknown });
      },
      recordLogins: (call, callback) => {
        this.logins.push(...call.request.logins);
        callback(null, { updated: call.request.logins.length });
      },
      getInventory: unimplemented,
      streamIdentities: (call) => {
        this.streamIdentitiesCalls += 1;
        const all = [...this.identities.values()].sort((a, b) => a.identity.localeCompare(b.identity));
        const batchSize = call.request.batchSize || 1000;
        for (let start = 0; start < all.length; start += batchSize) {
          call.write({ identities: all.slice(start, start + batchSize) });
        }
        call.end();
      },
      streamLinkedHashes: (call) => {
        call.destroy(
          Object.assign(new Error('not part of the test directory'), { code: status.UNIMPLEMENTED }),
        );
      },
    };
    server.addService(directoryV1.DirectoryServiceService, implementation);
    this.port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
        if (error) reject(error);
        else resolve(port);
      });
    });
    this.server = server;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.tryShutdown(() => {
        resolve();
      });
    });
  }
}
