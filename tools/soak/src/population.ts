import { type CreatedIdentity, DirectoryClient } from '@ots/client';
import { hashPhoneNumber, randomBytes } from '@ots/crypto';
import { waitFor } from '@ots/testing';

import type { SmsGateway } from './system';

/** The soak's identities, created through the directory API (spec §4.2) like a real client does. */
export interface Population {
  readonly onlineSenders: CreatedIdentity[];
  readonly onlineReceivers: CreatedIdentity[];
  readonly offlineReceivers: CreatedIdentity[];
  readonly loginClients: CreatedIdentity[];
  readonly exporters: CreatedIdentity[];
  /** identities with a linked (verified) phone number, and the hashes contact sync matches them by */
  readonly linked: { holder: CreatedIdentity; mobileNoHash: Uint8Array }[];
  /** every identity above, for directory look-ups */
  readonly all: CreatedIdentity[];
}

export interface PopulationSizes {
  readonly onlinePairs: number;
  readonly offlineReceivers: number;
  readonly loginClients: number;
  readonly exporters: number;
  readonly linkedIdentities: number;
}

async function inParallel<T>(
  count: number,
  concurrency: number,
  make: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await make(index);
      }
    }),
  );
  return results;
}

/** identity/link_mobileno with the code the local SMS gateway received (spec §4.3). */
async function linkPhone(
  directory: DirectoryClient,
  sms: SmsGateway,
  holder: CreatedIdentity,
  number: string,
): Promise<void> {
  const { verificationId } = await directory.linkMobileNo(holder, number);
  if (verificationId === undefined) throw new Error('link_mobileno returned no verification ID');
  const text = await waitFor(() => sms.texts.find((entry) => entry.to.endsWith(number))?.text, {
    timeoutMs: 10_000,
    description: 'verification SMS',
  });
  const code = /(\d{6})/.exec(text)?.[1];
  if (code === undefined) throw new Error('the verification SMS carries no 6-digit code');
  await directory.verifyMobileNo(verificationId, code);
}

export async function createPopulation(
  directory: DirectoryClient,
  sms: SmsGateway,
  sizes: PopulationSizes,
): Promise<Population> {
  const take = (n: number): Promise<CreatedIdentity[]> => inParallel(n, 8, () => directory.createIdentity());
  const onlineSenders = await take(sizes.onlinePairs);
  const onlineReceivers = await take(sizes.onlinePairs);
  const offlineReceivers = await take(sizes.offlineReceivers);
  const loginClients = await take(sizes.loginClients);
  const exporters = await take(sizes.exporters);
  const holders = await take(sizes.linkedIdentities);
  const prefix = 41_790_000_000 + Math.floor(Math.random() * 9_000) * 1000;
  const linked = await inParallel(holders.length, 4, async (i) => {
    const number = String(prefix + i);
    const holder = holders[i];
    await linkPhone(directory, sms, holder, number);
    return { holder, mobileNoHash: hashPhoneNumber(number) };
  });
  return {
    onlineSenders,
    onlineReceivers,
    offlineReceivers,
    loginClients,
    exporters,
    linked,
    all: [
      ...onlineSenders,
      ...onlineReceivers,
      ...offlineReceivers,
      ...loginClients,
      ...exporters,
      ...holders,
    ],
  };
}

/** 32 random bytes: a phone hash nobody linked. */
export function unknownHash(): Uint8Array {
  return randomBytes(32);
}
