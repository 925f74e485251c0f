import { hmacSha256 } from '../hmac-sha256';

// spec §4.4: fixed, public HMAC keys shared by all Threema clients and servers.
const EMAIL_HMAC_KEY = Buffer.from('30a5500fed9701fa6defdb610841900febb8e430881f7ad816826264ec09bad7', 'hex');
const PHONE_HMAC_KEY = Buffer.from('85adf8226953f3d96cfd5d09bf29555eb955fcd8aa5ec4f9fcd869e258370723', 'hex');

/** spec §4.4: HMAC-SHA256 of lowercase(trim(email)). Directory match uses base64 of it, Gateway hex. */
export function hashEmail(email: string): Uint8Array {
  return hmacSha256(EMAIL_HMAC_KEY, Buffer.from(email.trim().toLowerCase(), 'utf8'));
}

/**
 * spec §4.4: HMAC-SHA256 of the E.164 number without "+". Non-digits are stripped (the clients' fallback
 * normalisation), so "+41 79 123 45 67" and "41791234567" hash alike.
 */
export function hashPhoneNumber(phoneNumber: string): Uint8Array {
  return hmacSha256(PHONE_HMAC_KEY, Buffer.from(phoneNumber.replace(/\D/g, ''), 'ascii'));
}
