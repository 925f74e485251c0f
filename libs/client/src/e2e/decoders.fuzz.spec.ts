import { generateX25519KeyPair } from '@ots/crypto';

import { incomingMessageVector as vector } from '../../test/spec-vectors';
import { decodeDeliveryReceiptBody } from './delivery-receipt-body';
import { decodeE2eContainer } from './e2e-container';
import { E2eError } from './e2e-error';
import { decryptMessage } from './incoming-message';
import { decodeMessageMetadata } from './message-metadata';

/** xorshift32: a seeded generator, so a failing case can be replayed from the printed seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function randomBytes(next: () => number, maxLength: number): Uint8Array {
  const bytes = new Uint8Array(next() % (maxLength + 1));
  for (let index = 0; index < bytes.length; index++) bytes[index] = next() & 0xff;
  return bytes;
}

/** Flips, truncates or extends a valid input, the way a hostile peer would. */
function mutate(next: () => number, valid: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(valid);
  switch (next() % 3) {
    case 0:
      for (let flips = 1 + (next() % 4); flips > 0; flips--)
        bytes[next() % bytes.length] ^= 1 << (next() % 8);
      return bytes;
    case 1:
      return bytes.subarray(0, next() % bytes.length);
    default:
      return Uint8Array.from([...bytes, ...randomBytes(next, 64)]);
  }
}

/** Runs `decode` and fails unless it returned or threw an E2eError: no other exception, no crash. */
function onlyE2eErrors(decode: () => unknown, seed: number): void {
  try {
    decode();
  } catch (error) {
    if (!(error instanceof E2eError)) throw new Error(`seed ${seed}: ${String(error)}`);
  }
}

const SEED = 0x5eed;
const RUNS = 3000;
const keys = { receiverSecretKey: vector.receiverSecretKey, senderPublicKey: vector.senderPublicKey };

describe('end-to-end decoders on hostile input (fuzz, seeded)', () => {
  it('the metadata protobuf decoder throws only E2eError on random and mutated bytes', () => {
    const next = generator(SEED);
    const valid = Buffer.from(vector.metadataProtobuf, 'hex');
    for (let run = 0; run < RUNS; run++) {
      onlyE2eErrors(() => decodeMessageMetadata(randomBytes(next, 80)), SEED);
      onlyE2eErrors(() => decodeMessageMetadata(mutate(next, valid)), SEED);
    }
  });

  it('the container, padding and receipt decoders throw only E2eError', () => {
    const next = generator(SEED + 1);
    for (let run = 0; run < RUNS; run++) {
      const bytes = randomBytes(next, 300);
      onlyE2eErrors(() => decodeE2eContainer(bytes), SEED + 1);
      onlyE2eErrors(() => decodeDeliveryReceiptBody(bytes), SEED + 1);
    }
  });

  it('decryptMessage throws only E2eError on mutated §11.1 structs, and never accepts a changed box', () => {
    const next = generator(SEED + 2);
    const boxStart = 88 + vector.metadataLength;
    let accepted = 0;
    for (let run = 0; run < RUNS; run++) {
      const mutated = mutate(next, vector.struct);
      try {
        const opened = decryptMessage(mutated, keys);
        accepted++;
        // only changes outside the authenticated boxes and the checked message ID can still open (the nickname
        // field, the reserved byte, created-at and flags in clear): the message box itself is never altered
        expect(
          Buffer.from(mutated.subarray(boxStart)).equals(Buffer.from(vector.struct.subarray(boxStart))),
        ).toBe(true);
        expect(opened.messageId).toBe(Buffer.from(vector.messageIdBytes, 'hex').readBigUInt64LE());
      } catch (error) {
        if (!(error instanceof E2eError)) throw new Error(`seed ${SEED + 2}: ${String(error)}`);
      }
    }
    expect(accepted).toBeLessThan(RUNS / 2);
  });

  it('decryptMessage throws only E2eError on random bytes with random keys', () => {
    const next = generator(SEED + 3);
    const other = generateX25519KeyPair();
    for (let run = 0; run < 500; run++) {
      onlyE2eErrors(
        () =>
          decryptMessage(randomBytes(next, 400), {
            receiverSecretKey: other.secretKey,
            senderPublicKey: vector.senderPublicKey,
          }),
        SEED + 3,
      );
    }
  });
});
