import path from 'node:path';

import { readInputs } from './engine/corpus-files';
import { FUZZ_ROOT, loadTarget, TARGET_NAMES } from './targets';

// "A crash found is a test forever after": every input in regressions/<target>/ (inputs that once broke a
// decoder) and every checked-in seed is replayed against its target's property.

describe.each(TARGET_NAMES)('fuzz target %s', (name) => {
  const target = loadTarget(name);

  const regressions = readInputs(path.join(FUZZ_ROOT, 'regressions', name));
  const seeds = readInputs(path.join(FUZZ_ROOT, 'corpus', name));

  it('has a checked-in seed corpus, identical to what its encoders produce', () => {
    expect(seeds.length).toBeGreaterThan(0);
    const expected = target
      .seeds()
      .map((seed) => Buffer.from(seed.bytes).toString('hex'))
      .sort();
    expect(seeds.map(({ bytes }) => Buffer.from(bytes).toString('hex')).sort()).toEqual(expected);
  });

  it.each(
    [...regressions, ...seeds].map(({ file, bytes }) => [path.relative(FUZZ_ROOT, file), bytes] as const),
  )('property holds for %s', (_file, bytes) => {
    expect(() => {
      target.run(bytes);
    }).not.toThrow();
  });
});
