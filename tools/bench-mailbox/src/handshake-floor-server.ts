// `bench:mailbox floor`'s server process (handshake-floor.ts): the handshake and nothing else.
// Usage: handshake-floor-server <server-secret-key-file> <identities.jsonl>; prints {"port":N} and serves until
// its standard input closes.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { x25519PublicKeyFromSecret } from '@ots/crypto';

import { createHandshakeFloorServer } from './handshake-floor';

const [keyFile, identitiesFile] = process.argv.slice(2);
if (!keyFile || !identitiesFile) {
  process.stderr.write('usage: handshake-floor-server <server-secret-key-file> <identities.jsonl>\n');
  process.exit(64);
}
const publicKeys = new Map<string, Uint8Array>();
for (const line of readFileSync(identitiesFile, 'utf8').split('\n')) {
  if (line.length === 0) continue;
  const parsed = JSON.parse(line) as { identity: string; secretKey: string };
  publicKeys.set(parsed.identity, x25519PublicKeyFromSecret(Buffer.from(parsed.secretKey, 'hex')));
}
const server = createHandshakeFloorServer(
  Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex'),
  publicKeys,
);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the floor server has no port');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
createInterface({ input: process.stdin }).on('close', () => {
  server.close();
  process.exit(0);
});
