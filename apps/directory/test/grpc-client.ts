import { type ClientReadableStream, credentials, type ServiceError } from '@grpc/grpc-js';
import { directoryV1 } from '@ots/contracts';

/** A directory.v1 client over real gRPC with promise-returning calls, for integration tests. */
export class TestDirectoryGrpcClient {
  readonly raw: directoryV1.DirectoryServiceClient;

  constructor(port: number) {
    this.raw = new directoryV1.DirectoryServiceClient(
      `127.0.0.1:${String(port)}`,
      credentials.createInsecure(),
    );
  }

  getIdentities(identities: string[]): Promise<directoryV1.GetIdentitiesResponse> {
    return unary((callback) => this.raw.getIdentities({ identities }, callback));
  }

  recordLogins(logins: directoryV1.LoginRecord[]): Promise<directoryV1.RecordLoginsResponse> {
    return unary((callback) => this.raw.recordLogins({ logins }, callback));
  }

  getInventory(identity: string): Promise<directoryV1.GetInventoryResponse> {
    return unary((callback) => this.raw.getInventory({ identity }, callback));
  }

  /** All messages of one StreamLinkedHashes call; rejects with the call's error status. */
  streamLinkedHashes(batchSize: number): Promise<directoryV1.StreamLinkedHashesResponse[]> {
    return collect(this.raw.streamLinkedHashes({ batchSize }));
  }

  /** All messages of one StreamIdentities call; rejects with the call's error status. */
  streamIdentities(batchSize: number): Promise<directoryV1.StreamIdentitiesResponse[]> {
    return collect(this.raw.streamIdentities({ batchSize }));
  }

  close(): void {
    this.raw.close();
  }
}

function collect<T>(call: ClientReadableStream<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const messages: T[] = [];
    call.on('data', (message: T) => messages.push(message));
    call.on('error', reject);
    call.on('end', () => {
      resolve(messages);
    });
  });
}

function unary<T>(start: (callback: (error: ServiceError | null, response: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, response) => {
      if (error) reject(error);
      else resolve(response);
    });
  });
}
