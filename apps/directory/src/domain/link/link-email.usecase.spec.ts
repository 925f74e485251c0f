import { generateX25519KeyPair, hashEmail } from '@ots/crypto';

import { answerChallenge } from '../../../test/challenge-client';
import { InMemoryIdentityRepository } from '../../../test/in-memory-identity-repository';
import { InMemoryLinkStore } from '../../../test/in-memory-link-store';
import { ChallengeService } from '../challenge/challenge.service';
import { DirectoryErrorCode } from '../directory-error';
import type { DirectoryEvents } from '../directory-events';
import { HashKind } from '../linked-hash';
import { SignedCallVerifier } from '../signed-call';
import type { ChallengeIssued } from '../signed-request';
import { LinkEmailUseCase } from './link-email.usecase';
import { LinkFlow } from './link-flow';
import type { VerificationMailer } from './link-ports';
import { LinkVerification, MAX_VERIFICATION_ATTEMPTS } from './link-verification';

describe('LinkEmailUseCase and LinkVerification', () => {
  const key = generateX25519KeyPair();
  let now: number;
  let identities: InMemoryIdentityRepository;
  let store: InMemoryLinkStore;
  let sent: { to: string; link: string }[];
  let failMail: boolean;
  let published: string[];
  let useCase: LinkEmailUseCase;

  const mailer: VerificationMailer = {
    available: true,
    sendEmailVerification(to, link) {
      if (failMail) return Promise.reject(new Error('SMTP down'));
      sent.push({ to, link });
      return Promise.resolve();
    },
  };
  const events: DirectoryEvents = {
    identityCreated: () => undefined,
    identityRevoked: () => undefined,
    hashLinked: (entry, replaced) =>
      published.push(`linked:${entry.identity.id}:${replaced === null ? '-' : 'r'}`),
    hashUnlinked: (identity) => published.push(`unlinked:${identity}`),
  };

  beforeEach(() => {
    now = 1_000_000;
    identities = new InMemoryIdentityRepository();
    identities.add({ id: 'ECHOECHO', publicKey: key.publicKey });
    store = new InMemoryLinkStore(identities);
    sent = [];
    failMail = false;
    published = [];
    const signed = new SignedCallVerifier(new ChallengeService(), identities);
    const verification = new LinkVerification(store, events, () => new Date(now));
    useCase = new LinkEmailUseCase(new LinkFlow(signed, store, events), store, mailer, verification, {
      publicUrl: 'https://dir.example/',
      ttlMs: 60_000,
      now: () => now,
    });
  });

  async function link(email: string): Promise<void> {
    const phaseOne = await useCase.execute({ identity: 'ECHOECHO', email });
    expect(phaseOne.kind).toBe('challenge');
    const answer = answerChallenge(key.secretKey, phaseOne as ChallengeIssued);
    await useCase.execute({ identity: 'ECHOECHO', email, answer });
  }

  const linkQuery = (link: string) => new URL(link).searchParams;

  it('mails a link whose token completes the link; only hashes are stored', async () => {
    await link('Alice@Example.org');
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe('alice@example.org');
    expect(sent[0].link.startsWith('https://dir.example/identity/link_email/verify?')).toBe(true);
    const [pending] = store.pending.values();
    expect(pending.hash).toEqual(hashEmail('alice@example.org'));
    expect(JSON.stringify([...store.pending.values()])).not.toContain('alice');

    const query = linkQuery(sent[0].link);
    await useCase.confirm(query.get('id') ?? '', query.get('token') ?? '');
    expect(store.links.get(`ECHOECHO:${String(HashKind.Email)}`)).toEqual(hashEmail('alice@example.org'));
    expect(published).toEqual(['linked:ECHOECHO:-']);
    expect(await useCase.execute({ identity: 'ECHOECHO', email: 'alice@example.org' })).toEqual({
      kind: 'linked',
    });
  });

  it('reports the replaced hash when another address is linked later', async () => {
    store.links.set(`ECHOECHO:${String(HashKind.Email)}`, hashEmail('old@example.org'));
    await link('new@example.org');
    const query = linkQuery(sent[0].link);
    await useCase.confirm(query.get('id') ?? '', query.get('token') ?? '');
    expect(published).toEqual(['linked:ECHOECHO:r']);
  });

  it('refuses an expired link and deletes it', async () => {
    await link('alice@example.org');
    const query = linkQuery(sent[0].link);
    now += 60_001;
    await expect(useCase.confirm(query.get('id') ?? '', query.get('token') ?? '')).rejects.toMatchObject({
      code: DirectoryErrorCode.InvalidVerification,
    });
    expect(store.pending.size).toBe(0);
  });

  it('drops the pending link after the maximum of wrong tokens', async () => {
    await link('alice@example.org');
    const id = linkQuery(sent[0].link).get('id') ?? '';
    for (let i = 0; i < MAX_VERIFICATION_ATTEMPTS; i++) {
      await expect(useCase.confirm(id, 'wrong')).rejects.toMatchObject({
        code: DirectoryErrorCode.InvalidVerification,
      });
    }
    expect(store.pending.size).toBe(0);
  });

  it('keeps nothing when the mail cannot be sent', async () => {
    failMail = true;
    await expect(link('alice@example.org')).rejects.toMatchObject({
      code: DirectoryErrorCode.VerificationUnavailable,
    });
    expect(store.pending.size).toBe(0);
  });

  it('unlinks with an empty address and announces the removed hash', async () => {
    store.links.set(`ECHOECHO:${String(HashKind.Email)}`, hashEmail('old@example.org'));
    await link('');
    expect(store.links.size).toBe(0);
    expect(sent).toEqual([]);
    expect(published).toEqual(['unlinked:ECHOECHO']);
  });

  it('refuses something that is not an address', async () => {
    await expect(useCase.execute({ identity: 'ECHOECHO', email: 'no at sign' })).rejects.toMatchObject({
      code: DirectoryErrorCode.InvalidRequest,
    });
  });
});
