import { hex } from '../test/hex';
import { hmacSha256 } from './hmac-sha256';

describe('hmacSha256', () => {
  it('reproduces RFC 4231 test case 2', () => {
    expect(hex(hmacSha256(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
