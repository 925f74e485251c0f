import type { FuzzTarget } from '../../src/targets/target';

// A deliberately broken decoder for the harness's own test: it throws a TypeError only for inputs that start
// with "FUZZ". Blind random inputs hit that once in 2^32; with coverage guidance each matched byte is a new branch,
// so the fuzzer gets there in seconds — the test shows both that guidance works and that a crash is reported.

function decodeMagic(input: Uint8Array): number {
  if (input.length < 4) return 0;
  if (input[0] === 0x46) {
    if (input[1] === 0x55) {
      if (input[2] === 0x5a) {
        if (input[3] === 0x5a) {
          throw new TypeError('magic reached');
        }
        return 3;
      }
      return 2;
    }
    return 1;
  }
  return 0;
}

export const target: FuzzTarget = {
  name: 'magic',
  coverage: ['tools/fuzz/test/targets/magic.ts'],
  dictionary: [],
  maxInputLength: 64,
  run(input) {
    decodeMagic(input);
  },
  seeds: () => [],
};
