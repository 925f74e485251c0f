import { benchIdentityId } from './bench-ids';

describe('benchIdentityId', () => {
  it('is a valid 8-character identity that matches the SQL naming', () => {
    expect(benchIdentityId(1)).toBe('B0000001');
    expect(benchIdentityId(1_000_000)).toBe('B00F4240');
    expect(benchIdentityId(255)).toMatch(/^[0-9A-Z]{8}$/);
  });
});
