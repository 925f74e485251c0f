import type { ServerWritableStream } from '@grpc/grpc-js';
import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1, directoryV1 } from '@ots/contracts';
import {
  directoryChallengeResponse,
  generateX25519KeyPair,
  hashEmail,
  hashPhoneNumber,
  x25519HSalsa20,
  type X25519KeyPair,
} from '@ots/crypto';
import { GrpcServerHost, type RunningService, startService } from '@ots/service-kit';
import { freePort, startNats, type TestNats, waitFor } from '@ots/testing';
import { connect, type NatsConnection } from 'nats';

import { loadContactSyncConfig } from './config';
import { contactSyncService } from './service';

// contact-sync against real NATS and a directory.v1 gRPC server on the real wire protocol (the snapshot it
// streams is a fixed list here; changes arrive as the directory's real event payloads on NATS).
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const key = generateX25519KeyPair();
const ALICE = 'ALICE001';
const SNAPSHOT_EMAIL = hashEmail('test@threema.ch'); // spec §11.1.2
const SNAPSHOT_PHONE = hashPhoneNumber('41791234567'); // spec §11.1.2

describe('contact-sync (real NATS, directory.v1 over gRPC)', () => {
  let nats: TestNats;
  let publisher: NatsConnection;
  let grpc: GrpcServerHost;
  let service: RunningService;
  let base: string;
  let releaseSnapshot: () => void = () => undefined;

  beforeAll(async () => {
    nats = await startNats();
    publisher = await connect({ servers: nats.url });
    const snapshotGate = new Promise<void>((resolve) => (releaseSnapshot = resolve));
    const linked = (
      kind: directoryV1.HashKind,
      hash: Uint8Array,
      identity: string,
    ): directoryV1.LinkedHash => ({
      kind,
      hash: Buffer.from(hash),
      identity,
      publicKey: Buffer.from(key.publicKey),
      state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
    });
    grpc = new GrpcServerHost('127.0.0.1', 0, [
      {
        definition: directoryV1.DirectoryServiceService,
        implementation: {
          getIdentities: (
            _call: unknown,
            callback: (e: null, r: directoryV1.GetIdentitiesResponse) => void,
          ) => {
            callback(null, { identities: [], unknown: [] });
          },
          streamLinkedHashes: (
            call: ServerWritableStream<unknown, directoryV1.StreamLinkedHashesResponse>,
          ) => {
            void snapshotGate.then(() => {
              call.write({
                entries: [linked(directoryV1.HashKind.HASH_KIND_EMAIL, SNAPSHOT_EMAIL, 'BOB00001')],
              });
              call.write({
                entries: [
                  linked(directoryV1.HashKind.HASH_KIND_MOBILE_NO, SNAPSHOT_PHONE, 'BOB00001'),
                  linked(directoryV1.HashKind.HASH_KIND_EMAIL, hashEmail('alice@example.org'), ALICE),
                ],
              });
              call.end();
            });
          },
        },
      },
    ]);
    const grpcPort = await grpc.start();
    const config = loadContactSyncConfig({
      NATS_URL: nats.url,
      DIRECTORY_GRPC_URL: `127.0.0.1:${String(grpcPort)}`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      CONTACT_SYNC_REQUESTS_PER_IDENTITY_PER_MINUTE: '40',
      CONTACT_SYNC_MAX_HASHES_PER_REQUEST: '100',
    });
    service = await startService(contactSyncService, config, { service: 'contact-sync', version: 'test' });
    base = `http://127.0.0.1:${String(service.httpPort)}`;
  });

  afterAll(async () => {
    await service.stop();
    await grpc.stop(1_000);
    await publisher.close();
    await nats.stop();
  });

  const post = (path: string, body: unknown, raw?: string) =>
    fetch(`${base}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });

  async function matchToken(identity = ALICE, pair: X25519KeyPair = key): Promise<string> {
    const phase1 = (await (await post('identity/match_token', { identity })).json()) as {
      token: string;
      tokenRespKeyPub: string;
    };
    const token = Buffer.from(phase1.token, 'base64');
    const shared = x25519HSalsa20(pair.secretKey, Buffer.from(phase1.tokenRespKeyPub, 'base64'));
    const response = b64(directoryChallengeResponse(shared, token));
    const phase2 = await post('identity/match_token', { identity, token: b64(token), response });
    if (phase2.status !== 200) throw new Error(`match_token answered ${String(phase2.status)}`);
    const json = (await phase2.json()) as { matchToken: string };
    return json.matchToken;
  }

  it('is not ready (503 + Retry-After, /readyz red) until the snapshot is loaded; an event sent meanwhile is kept', async () => {
    const early = await post('identity/match_token', { identity: ALICE });
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    // published while the snapshot is outstanding: buffered and applied after it
    const buffered = hashEmail('buffered@example.org');
    await waitFor(() => Promise.resolve(publisher.info !== undefined), {
      timeoutMs: 5_000,
      description: 'nats',
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the service subscribes before it streams
    publisher.publish(
      DIRECTORY_EVENT_SUBJECTS.linked,
      directoryEventsV1.HashLinked.encode({
        entry: {
          kind: directoryV1.HashKind.HASH_KIND_EMAIL,
          hash: Buffer.from(buffered),
          identity: 'DAVE0001',
          publicKey: Buffer.from(key.publicKey),
          state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
        },
        replacedHash: Buffer.alloc(0),
      }).finish(),
    );
    await publisher.flush();
    releaseSnapshot();
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, {
      timeoutMs: 10_000,
      description: 'contact-sync ready',
    });
    const result = await post('identity/match', {
      matchToken: await matchToken(),
      emailHashes: [b64(buffered)],
    });
    expect(((await result.json()) as { identities: { identity: string }[] }).identities).toEqual([
      expect.objectContaining({ identity: 'DAVE0001' }),
    ]);
  });

  it('matches the spec §11.1.2 vectors from the snapshot with the spec JSON shape', async () => {
    const response = await post('identity/match', {
      matchToken: await matchToken(),
      emailHashes: [b64(SNAPSHOT_EMAIL)],
      mobileNoHashes: ['rTmPTX6+Y8ZVCkhsxuB/m6oJvZ2LPYy52b4QbTWn/bw='],
    });
    expect(response.status).toBe(200);
    // the answer is written as bytes (http/match-response.ts): still declared JSON, with its exact length
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.clone().text();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(await response.json()).toEqual({
      identities: [
        {
          identity: 'BOB00001',
          publicKey: b64(key.publicKey),
          emailHash: 'HqCTI5zF8OG27IG4ZiZbkh8m3EAzAlQQBjMJ9NGo7iw=',
          mobileNoHash: 'rTmPTX6+Y8ZVCkhsxuB/m6oJvZ2LPYy52b4QbTWn/bw=',
        },
      ],
      checkInterval: 86_400,
    });
  });

  it('answers the same whether the body is read by the fast path or the generic JSON parser', async () => {
    const token = await matchToken();
    const hash = b64(SNAPSHOT_EMAIL);
    // the common case (http/match-body.ts), pretty-printed
    const fast = await post(
      'identity/match',
      undefined,
      `{\n  "matchToken": "${token}",\n  "emailHashes": [ "${hash}" ]\n}`,
    );
    // the same request with an escaped character and an unknown field: the generic path
    const escaped = `\\u00${hash.charCodeAt(0).toString(16)}${hash.slice(1)}`;
    const generic = await post(
      'identity/match',
      undefined,
      `{"matchToken":"${token}","emailHashes":["${escaped}"],"x":1}`,
    );
    expect(fast.status).toBe(200);
    expect(generic.status).toBe(200);
    const answer = await fast.text();
    expect(JSON.parse(answer)).toEqual({
      identities: [expect.objectContaining({ identity: 'BOB00001', emailHash: hash })],
      checkInterval: expect.any(Number) as unknown,
    });
    expect(await generic.text()).toBe(answer);
  });

  it('a hash linked later matches within a second; unlinked or revoked it stops matching', async () => {
    const token = await matchToken();
    const hash = hashEmail('later@example.org');
    const matches = async () =>
      (
        (await (await post('identity/match', { matchToken: token, emailHashes: [b64(hash)] })).json()) as {
          identities: unknown[];
        }
      ).identities.length;
    const linkedAt = Date.now();
    publisher.publish(
      DIRECTORY_EVENT_SUBJECTS.linked,
      directoryEventsV1.HashLinked.encode({
        entry: {
          kind: directoryV1.HashKind.HASH_KIND_EMAIL,
          hash: Buffer.from(hash),
          identity: 'ERIN0001',
          publicKey: Buffer.from(key.publicKey),
          state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
        },
        replacedHash: Buffer.alloc(0),
      }).finish(),
    );
    await waitFor(async () => (await matches()) === 1, {
      timeoutMs: 1_000,
      description: 'linked hash matches',
    });
    expect(Date.now() - linkedAt).toBeLessThan(1_000);
    publisher.publish(
      DIRECTORY_EVENT_SUBJECTS.unlinked,
      directoryEventsV1.HashUnlinked.encode({
        kind: directoryV1.HashKind.HASH_KIND_EMAIL,
        hash: Buffer.from(hash),
        identity: 'ERIN0001',
      }).finish(),
    );
    await waitFor(async () => (await matches()) === 0, { timeoutMs: 1_000, description: 'unlinked' });
    const phone = await post('identity/match', { matchToken: token, mobileNoHashes: [b64(SNAPSHOT_PHONE)] });
    expect(((await phone.json()) as { identities: unknown[] }).identities).toHaveLength(1);
    publisher.publish(
      DIRECTORY_EVENT_SUBJECTS.revoked,
      directoryEventsV1.IdentityRevoked.encode({ identity: 'BOB00001' }).finish(),
    );
    await waitFor(
      async () =>
        (
          (await (
            await post('identity/match', { matchToken: token, mobileNoHashes: [b64(SNAPSHOT_PHONE)] })
          ).json()) as {
            identities: unknown[];
          }
        ).identities.length === 0,
      { timeoutMs: 1_000, description: 'revoked' },
    );
  });

  it('answers malformed and oversize requests with a clear 4xx, a bad token with 401', async () => {
    const token = await matchToken();
    const bad = await post('identity/match', { matchToken: token, emailHashes: ['!!'] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      success: false,
      error: 'emailHashes must be standard base64',
      errorType: 'invalid-request',
    });
    const malformed = await post('identity/match', undefined, '{"emailHashes":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ success: false, error: 'Malformed JSON body' });
    expect((await post('identity/match', undefined, '')).status).toBe(400);
    // prototype poisoning is refused as by Fastify's parser everywhere
    const poisoned = await post('identity/match', undefined, `{"matchToken":"${token}","__proto__":{}}`);
    expect(poisoned.status).toBe(400);
    expect(await poisoned.json()).toEqual({ success: false, error: 'Malformed JSON body' });
    const tooMany = Array.from({ length: 101 }, (_, i) => b64(hashEmail(`${String(i)}@x.org`)));
    expect((await post('identity/match', { matchToken: token, emailHashes: tooMany })).status).toBe(413);
    const huge = await post('identity/match', { matchToken: token, emailHashes: ['A'.repeat(20_000)] });
    expect(huge.status).toBe(413);
    expect((await post('identity/match', { matchToken: 'nope', emailHashes: [] })).status).toBe(401);
    expect((await post('identity/match_token', { identity: 'lower' })).status).toBe(400);
    const wrongKey = await (async () => {
      try {
        await matchToken(ALICE, generateX25519KeyPair());
        return 'issued';
      } catch {
        return 'refused';
      }
    })();
    expect(wrongKey).toBe('refused');
  });

  it('caps requests per identity per minute: 429 with Retry-After', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 45; i++) {
      last = await post('identity/match_token', { identity: 'FRANK001' });
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('exports the index size and match count', async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/ots_contact_sync_index_entries\{[^}]*\} 2\b/);
    expect(metrics).toMatch(/ots_contact_sync_matches_total\{[^}]*\} [1-9]/);
  });
});
