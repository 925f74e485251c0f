/** Phase 2 of a signed call (spec §4.2): the echoed token and the client's 32-byte response, both decoded. */
export interface ChallengeAnswer {
  readonly token: Uint8Array;
  readonly response: Uint8Array;
}

/** What a signed call answers in phase 1: the challenge the client must answer (spec §4.2). */
export interface ChallengeIssued {
  readonly kind: 'challenge';
  readonly token: Uint8Array;
  readonly tokenRespKeyPub: Uint8Array;
}
