import { blake2b256 } from '@ots/crypto';

/** spec §4.3 set_revocation_key: base64(SHA-256(UTF-8 password)[0..4]), i.e. 4 bytes. */
export const REVOCATION_KEY_LENGTH = 4;

/**
 * What is stored instead of the revocation key: BLAKE2b-256 over the identity and the key. It keeps the key out
 * of the table and backups at a glance; 4 bytes can still be searched exhaustively by someone holding the
 * table, so ws/revoke guesses are rate-limited per identity (docs/adr/0012-revocation.md).
 */
export function revocationKeyHash(identity: string, revocationKey: Uint8Array): Uint8Array {
  return blake2b256(
    Buffer.concat([Buffer.from(`ots.revocation-key.v1\n${identity}\n`, 'utf8'), revocationKey]),
  );
}
