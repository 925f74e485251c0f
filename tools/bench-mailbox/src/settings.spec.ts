import { wholeNumberSetting } from './settings';

describe('wholeNumberSetting', () => {
  it('takes the fallback when the variable is unset', () => {
    expect(wholeNumberSetting('BENCH_IDLE_WARMUP', undefined, 500, 500)).toBe(500);
  });

  it('takes a whole number within the range, the bounds included', () => {
    expect(wholeNumberSetting('BENCH_IDLE_WARMUP', '0', 500, 500)).toBe(0);
    expect(wholeNumberSetting('BENCH_IDLE_WARMUP', ' 250 ', 500, 500)).toBe(250);
    expect(wholeNumberSetting('BENCH_IDLE_WARMUP', '500', 500, 500)).toBe(500);
  });

  it.each(['', ' ', '-1', '1.5', '1e2', 'abc', '501', '99999999999999999999'])(
    'refuses %j with the name and the range',
    (value) => {
      expect(() => wholeNumberSetting('BENCH_IDLE_WARMUP', value, 500, 500)).toThrow(
        `BENCH_IDLE_WARMUP must be a whole number from 0 to 500, not "${value}"`,
      );
    },
  );
});
