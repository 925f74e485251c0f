import { isIdentityId, randomIdentityId } from './identity-id';

describe('randomIdentityId', () => {
  it('draws 8 characters from [0-9A-Z]', () => {
    for (let i = 0; i < 200; i += 1) {
      const id = randomIdentityId();
      expect(id).toMatch(/^[0-9A-Z]{8}$/);
      expect(isIdentityId(id)).toBe(true);
    }
  });

  it('redraws bytes that would bias the alphabet', () => {
    const bytes = [255, 252, 0, 35, 36, 71, 251, 10, 11, 12, 13, 14, 15, 16];
    const random = (length: number) => Uint8Array.from(bytes.splice(0, length));
    expect(randomIdentityId(random)).toBe('0Z0ZZABC');
  });
});
