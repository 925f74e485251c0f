import { featureLevelFromMask } from './public-identity';

describe('featureLevelFromMask', () => {
  it.each([
    [0n, 0],
    [0x02n, 0],
    [0x01n, 1],
    [0x03n, 2],
    [0x07n, 2],
    [0x0fn, 3],
    [0x1fn, 4],
    [0xffffn, 4],
  ])('maps mask %p to level %p', (mask, level) => {
    expect(featureLevelFromMask(mask)).toBe(level);
  });
});
