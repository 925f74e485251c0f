import { Client, credentials, Metadata, status } from '@grpc/grpc-js';
import { directoryV1 } from '@ots/contracts';
import { NotReadyError } from '@ots/observability';

import { createGrpcClient, grpcChannelReady } from './grpc-client';
import { GrpcServerHost } from './grpc-server';

describe('GrpcServerHost and createGrpcClient', () => {
  // only GetIdentities matters here; the other methods of the contract answer UNIMPLEMENTED
  const unimplemented = (
    _call: unknown,
    callback: (error: { code: status; details: string }) => void,
  ): void => {
    callback({ code: status.UNIMPLEMENTED, details: 'not used by this test' });
  };
  const implementation: directoryV1.DirectoryServiceServer = {
    recordLogins: unimplemented,
    getInventory: unimplemented,
    streamLinkedHashes: (call) => {
      call.end();
    },
    streamIdentities: (call) => {
      call.end();
    },
    getIdentities: (call, callback) => {
      if (call.request.identities.includes('FAILFAIL')) {
        callback({ code: status.INVALID_ARGUMENT, details: 'bad id' });
        return;
      }
      callback(null, { identities: [], unknown: call.request.identities });
    },
  };

  it('serves a contract on a loopback port and answers typed clients, then shuts down', async () => {
    const host = new GrpcServerHost('127.0.0.1', 0, [
      { definition: directoryV1.DirectoryServiceService, implementation },
    ]);
    const port = await host.start();
    expect(host.listeningPort).toBe(port);
    const client = createGrpcClient(directoryV1.DirectoryServiceClient, `127.0.0.1:${String(port)}`);
    await grpcChannelReady(client);
    const call = (ids: string[]) =>
      new Promise<directoryV1.GetIdentitiesResponse>((resolve, reject) => {
        client.getIdentities({ identities: ids }, (error, response) => {
          if (error) reject(error);
          else resolve(response);
        });
      });
    await expect(call(['ECHOECHO'])).resolves.toEqual({ identities: [], unknown: ['ECHOECHO'] });
    await expect(call(['FAILFAIL'])).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'bad id',
    });
    client.close();
    await host.stop(1_000);
    const after = new directoryV1.DirectoryServiceClient(
      `127.0.0.1:${String(port)}`,
      credentials.createInsecure(),
    );
    await expect(grpcChannelReady(after, 300)).rejects.toBeInstanceOf(NotReadyError);
    after.close();
  });

  it('answers undecodable protobuf bytes with an error status and keeps serving', async () => {
    const host = new GrpcServerHost('127.0.0.1', 0, [
      { definition: directoryV1.DirectoryServiceService, implementation },
    ]);
    const port = await host.start();
    const raw = new Client(`127.0.0.1:${String(port)}`, credentials.createInsecure());
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    const rawCall = () =>
      new Promise<unknown>((resolve, reject) => {
        raw.makeUnaryRequest(
          directoryV1.DirectoryServiceService.getIdentities.path,
          (bytes: Buffer) => bytes,
          (bytes: Buffer) => bytes,
          garbage,
          new Metadata(),
          (error, value) => {
            if (error) reject(error);
            else resolve(value);
          },
        );
      });
    await expect(rawCall()).rejects.toMatchObject({ code: status.INTERNAL });
    const client = createGrpcClient(directoryV1.DirectoryServiceClient, `127.0.0.1:${String(port)}`);
    await expect(
      new Promise((resolve, reject) => {
        client.getIdentities({ identities: ['ECHOECHO'] }, (error, response) => {
          if (error) reject(error);
          else resolve(response);
        });
      }),
    ).resolves.toEqual({ identities: [], unknown: ['ECHOECHO'] });
    raw.close();
    client.close();
    await host.stop(1_000);
  });
});
