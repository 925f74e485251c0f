import { type Ed25519KeyPair, ed25519Sign } from '@ots/crypto';

import { encodeBase64 } from '../codec/base64';
import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import { describeIssues, type OppfContent, oppfDocumentSchema } from './oppf-document';

/**
 * spec §9.4: the file is the JSON text, a newline, then the base64 Ed25519 signature over exactly that
 * JSON text (UTF-8). The signing key's public half becomes `signatureKey`. Invalid content is refused
 * with INVALID_FIELD, so we never publish a file clients would reject.
 */
export function signOppf(content: OppfContent, signingKey: Ed25519KeyPair): string {
  const parsed = oppfDocumentSchema.safeParse({
    ...content,
    signatureKey: encodeBase64(signingKey.publicKey),
  });
  if (!parsed.success) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      `OPPF content invalid: ${describeIssues(parsed.error)}`,
    );
  }
  // re-order so that version and signatureKey lead, as in the upstream samples
  const { version, signatureKey, ...rest } = parsed.data;
  const json = JSON.stringify({ version, signatureKey, ...rest }, null, 2);
  const signature = ed25519Sign(Buffer.from(json, 'utf8'), signingKey.secretKey);
  return `${json}\n${encodeBase64(signature)}`;
}
