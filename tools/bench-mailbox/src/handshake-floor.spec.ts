import type { AddressInfo, Server } from 'node:net';

import { connectCsp } from '@ots/client';
import { generateX25519KeyPair } from '@ots/crypto';

import { createHandshakeFloorServer } from './handshake-floor';

// The floor server is a reference only if it does a login's real work: it must log in the SDK with a valid vouch
// and nobody else.
describe('the handshake floor server (bench:mailbox floor)', () => {
  const serverKeys = generateX25519KeyPair();
  const alice = generateX25519KeyPair();
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createHandshakeFloorServer(serverKeys.secretKey, new Map([['ALICE001', alice.publicKey]]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const login = (identity: string, secretKey: Uint8Array) =>
    connectCsp({
      host: '127.0.0.1',
      port,
      serverPublicKey: serverKeys.publicKey,
      identity,
      secretKey,
      timeoutMs: 5_000,
    });

  it('logs in an identity it knows, answers login-ack and queue-send-complete, and ends with the client', async () => {
    for (let round = 0; round < 3; round += 1) {
      const session = await login('ALICE001', alice.secretKey);
      expect(session.queuedAtLogin).toBe(0);
      await expect(session.queueSendComplete).resolves.toBeUndefined();
      await session.close();
    }
  });

  it('refuses a wrong vouch and an unknown identity', async () => {
    const mallory = generateX25519KeyPair();
    await expect(login('ALICE001', mallory.secretKey)).rejects.toThrow(
      'the server closed the connection during the handshake',
    );
    await expect(login('MALLORY1', mallory.secretKey)).rejects.toThrow(
      'the server closed the connection during the handshake',
    );
  });
});
