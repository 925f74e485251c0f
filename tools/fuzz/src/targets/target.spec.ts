import {
  decodeOrRefuse,
  PropertyViolation,
  requireBoundedOutput,
  requireEqual,
  retainedSize,
  select,
} from './target';

class OwnError extends Error {}

describe('target property helpers', () => {
  const isOwn = (error: unknown): boolean => error instanceof OwnError;

  it('decodeOrRefuse passes values and the module’s own errors, and rethrows anything else', () => {
    const refuse = (): number => {
      throw new OwnError('refused');
    };
    const crash = (): number => {
      throw new RangeError('offset is outside the bounds of the DataView');
    };
    expect(decodeOrRefuse(() => 7, isOwn)).toBe(7);
    expect(decodeOrRefuse(refuse, isOwn)).toBeUndefined();
    expect(() => decodeOrRefuse(crash, isOwn)).toThrow(RangeError);
  });

  it('requireEqual compares byte arrays by content and throws a PropertyViolation on a difference', () => {
    expect(() => {
      requireEqual({ a: Buffer.from([1, 2]), n: 3n }, { a: Uint8Array.of(1, 2), n: 3n }, 'x');
    }).not.toThrow();
    expect(() => {
      requireEqual(Uint8Array.of(1), Uint8Array.of(2), 'x');
    }).toThrow(PropertyViolation);
  });

  it('requireBoundedOutput refuses values much larger than their input', () => {
    expect(retainedSize({ bytes: new Uint8Array(10), text: 'abc', list: [1, 2] })).toBe(17);
    expect(() => {
      requireBoundedOutput(new Uint8Array(100), 100, 'x');
    }).not.toThrow();
    expect(() => {
      requireBoundedOutput(new Uint8Array(1000), 100, 'x');
    }).toThrow(PropertyViolation);
  });

  it('select routes by the first byte', () => {
    expect(select(Uint8Array.of(7, 1, 2), 3)).toEqual({ which: 1, body: Uint8Array.of(1, 2) });
    expect(select(new Uint8Array(0), 3).which).toBe(0);
  });
});
