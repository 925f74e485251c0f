import { generateX25519KeyPair, x25519HSalsa20 } from '@ots/crypto';

import { permanentSharedSecret } from './permanent-shared-secret';

describe('permanentSharedSecret (SS1 of spec §1.3, remembered per client key)', () => {
  const server = generateX25519KeyPair();

  it('is X25519HSalsa20(CK.secret, SK.public), and the same value again at the next login', () => {
    const client = generateX25519KeyPair();
    const expected = x25519HSalsa20(client.secretKey, server.publicKey);
    const first = permanentSharedSecret(client.secretKey, server.publicKey);
    expect(Buffer.from(first)).toEqual(Buffer.from(expected));
    // remembered: the very same bytes, not computed anew
    expect(permanentSharedSecret(client.secretKey, server.publicKey)).toBe(first);
  });

  it('is computed anew for another server key', () => {
    const client = generateX25519KeyPair();
    const other = generateX25519KeyPair();
    permanentSharedSecret(client.secretKey, server.publicKey);
    const forOther = permanentSharedSecret(client.secretKey, other.publicKey);
    expect(Buffer.from(forOther)).toEqual(Buffer.from(x25519HSalsa20(client.secretKey, other.publicKey)));
  });

  it('is computed anew when the key object was changed in place', () => {
    const client = generateX25519KeyPair();
    const replacement = generateX25519KeyPair();
    const key = Uint8Array.from(client.secretKey);
    const before = Buffer.from(permanentSharedSecret(key, server.publicKey));
    key.set(replacement.secretKey);
    const after = permanentSharedSecret(key, server.publicKey);
    expect(Buffer.from(after)).toEqual(Buffer.from(x25519HSalsa20(replacement.secretKey, server.publicKey)));
    expect(Buffer.from(after)).not.toEqual(before);
  });

  it('gives a copy of the key the same secret (keys are told apart by their bytes)', () => {
    const client = generateX25519KeyPair();
    const copy = Uint8Array.from(client.secretKey);
    const a = permanentSharedSecret(client.secretKey, server.publicKey);
    const b = permanentSharedSecret(copy, server.publicKey);
    expect(Buffer.from(a)).toEqual(Buffer.from(b));
  });
});
