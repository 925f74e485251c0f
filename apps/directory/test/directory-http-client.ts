import { answerChallenge } from './challenge-client';

export interface JsonReply {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
export const unb64 = (value: unknown): Uint8Array => new Uint8Array(Buffer.from(String(value), 'base64'));

/** The directory REST API as a client sees it (spec §4): JSON in and out, both phases of signed calls. */
export class DirectoryHttpClient {
  constructor(private readonly url: (path: string) => string) {}

  async send(path: string, init: RequestInit): Promise<JsonReply> {
    const response = await fetch(this.url(path), init);
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: the status is what the test looks at
    }
    return { status: response.status, json };
  }

  post(path: string, body: unknown): Promise<JsonReply> {
    return this.postRaw(path, JSON.stringify(body));
  }

  postRaw(path: string, body: string): Promise<JsonReply> {
    return this.send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  }

  get(path: string): Promise<JsonReply> {
    return this.send(path, { method: 'GET' });
  }

  /** Phase 1 and 2 of a signed call, answered with `secretKey` (spec §4.2). */
  async signed(
    path: string,
    body: Record<string, unknown>,
    secretKey: Uint8Array,
  ): Promise<{ phaseOne: JsonReply; phaseTwoBody: Record<string, unknown>; phaseTwo: JsonReply }> {
    const phaseOne = await this.post(path, body);
    if (typeof phaseOne.json.token !== 'string') {
      throw new Error(`phase 1 of ${path} answered ${String(phaseOne.status)} without a token`);
    }
    const answer = answerChallenge(secretKey, {
      token: unb64(phaseOne.json.token),
      tokenRespKeyPub: unb64(phaseOne.json.tokenRespKeyPub),
    });
    const phaseTwoBody = { ...body, token: b64(answer.token), response: b64(answer.response) };
    return { phaseOne, phaseTwoBody, phaseTwo: await this.post(path, phaseTwoBody) };
  }

  /** identity/create in both phases; returns the new ID. */
  async createIdentity(publicKey: Uint8Array, secretKey: Uint8Array): Promise<string> {
    const { phaseTwo } = await this.signed('identity/create', { publicKey: b64(publicKey) }, secretKey);
    if (phaseTwo.json.success !== true) throw new Error('identity/create failed');
    return String(phaseTwo.json.identity);
  }
}
