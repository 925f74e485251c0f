import { MUTATIONS, Mutator } from './mutator';
import { Random } from './random';

describe('Mutator', () => {
  const input = Uint8Array.from({ length: 40 }, (_, index) => index);
  const other = new Uint8Array(20).fill(0xee);
  const dictionary = [Uint8Array.of(0xca, 0xfe)];

  it.each(MUTATIONS)('%s changes the input and stays within the length limit', (mutation) => {
    const mutator = new Mutator(new Random(7), { maxLength: 64, dictionary });
    let changed = 0;
    for (let i = 0; i < 200; i++) {
      const out = mutator.apply(mutation, input, other);
      if (Buffer.compare(out, input) !== 0) changed++;
      expect(mutator.mutate(input, other).length).toBeLessThanOrEqual(64);
    }
    expect(changed).toBeGreaterThan(100);
  });

  it('never writes into the corpus entry it mutates', () => {
    const original = input.slice();
    const mutator = new Mutator(new Random(1), { maxLength: 64, dictionary });
    for (let i = 0; i < 1000; i++) mutator.mutate(input, other);
    expect(input).toEqual(original);
  });

  it('is repeatable from its seed', () => {
    const run = (seed: number): string[] => {
      const mutator = new Mutator(new Random(seed), { maxLength: 64, dictionary });
      return Array.from({ length: 50 }, () => Buffer.from(mutator.mutate(input, other)).toString('hex'));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('puts dictionary tokens into inputs', () => {
    const mutator = new Mutator(new Random(3), { maxLength: 64, dictionary });
    const out = mutator.apply('dictionary-insert', input, other);
    expect(Buffer.from(out).includes(Buffer.from([0xca, 0xfe]))).toBe(true);
  });

  it('grows an empty input', () => {
    const mutator = new Mutator(new Random(5), { maxLength: 64, dictionary: [] });
    expect(mutator.apply('flip-bit', new Uint8Array(0), other).length).toBeGreaterThan(0);
  });
});
