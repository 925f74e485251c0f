import { directoryChallengeResponse, x25519HSalsa20 } from '@ots/crypto';

/** What a client does in phase 2 (spec §4.2): echo the token and answer it with its secret key. */
export function answerChallenge(
  clientSecretKey: Uint8Array,
  challenge: { readonly token: Uint8Array; readonly tokenRespKeyPub: Uint8Array },
): { token: Uint8Array; response: Uint8Array } {
  const shared = x25519HSalsa20(clientSecretKey, challenge.tokenRespKeyPub);
  return { token: challenge.token, response: directoryChallengeResponse(shared, challenge.token) };
}
