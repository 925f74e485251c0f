import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys and escapes values', () => {
    expect(canonicalJson({ b: 'x"y', a: 1, c: true })).toBe('{"a":1,"b":"x\\"y","c":true}');
  });
});
