import { ED25519_SIGNATURE_LENGTH, ed25519Verify } from '@ots/crypto';

import { decodeBase64Strict } from '../codec/base64';
import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import { describeIssues, type OppfDocument, oppfDocumentSchema } from './oppf-document';

function malformed(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.MALFORMED, message);
}

function decodeUtf8(file: string | Uint8Array): string {
  if (typeof file === 'string') return file;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    throw malformed('OPPF is not valid UTF-8');
  }
}

/** The signed JSON text and the signature, split like LIBT: trim trailing newlines, split at the last one. */
function splitSignedText(text: string): { json: string; signature: Uint8Array } {
  const trimmed = text.replace(/\n+$/, '');
  const split = trimmed.lastIndexOf('\n');
  if (split < 0) throw malformed('OPPF has no newline between JSON and signature');
  const signature = decodeBase64Strict(trimmed.slice(split + 1));
  if (signature?.length !== ED25519_SIGNATURE_LENGTH) {
    throw malformed(`OPPF signature is not base64 of ${ED25519_SIGNATURE_LENGTH} bytes`);
  }
  return { json: trimmed.slice(0, split), signature };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw malformed('OPPF JSON does not parse');
  }
}

function trustedSignatureKey(document: unknown, trustedKeys: readonly Uint8Array[]): Uint8Array {
  const declared =
    typeof document === 'object' && document !== null && 'signatureKey' in document
      ? document.signatureKey
      : undefined;
  const key = typeof declared === 'string' ? decodeBase64Strict(declared) : undefined;
  if (key === undefined) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'OPPF signatureKey is missing or not base64');
  }
  if (!trustedKeys.some((trusted) => Buffer.from(trusted).equals(key))) {
    throw new ProtocolError(
      ProtocolErrorCode.UNTRUSTED_SIGNATURE_KEY,
      'OPPF is signed with an untrusted key',
    );
  }
  return key;
}

/**
 * spec §9.4 parse and verify. The declared signatureKey must be one of `trustedSignatureKeys` (as in LIBT
 * `OnPremConfig::decode_and_verify`), and the signature is checked before the fields are validated, so
 * unauthenticated content only ever reaches JSON.parse.
 */
export function parseOppf(
  file: string | Uint8Array,
  trustedSignatureKeys: readonly Uint8Array[],
): OppfDocument {
  const { json, signature } = splitSignedText(decodeUtf8(file));
  const document = parseJson(json);
  const signatureKey = trustedSignatureKey(document, trustedSignatureKeys);
  if (!ed25519Verify(signature, Buffer.from(json, 'utf8'), signatureKey)) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_SIGNATURE, 'OPPF signature does not verify');
  }
  const parsed = oppfDocumentSchema.safeParse(document);
  if (!parsed.success) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      `OPPF fields invalid: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}
