import { hex } from '../../test/hex';
import { hashEmail, hashPhoneNumber } from './contact-hash';

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

describe('contact hashes (spec §4.4, vectors §11.1.2)', () => {
  it('hashes test@threema.ch to the documented hex and base64', () => {
    const hash = hashEmail('test@threema.ch');
    expect(hex(hash)).toBe('1ea093239cc5f0e1b6ec81b866265b921f26dc4033025410063309f4d1a8ee2c');
    expect(base64(hash)).toBe('HqCTI5zF8OG27IG4ZiZbkh8m3EAzAlQQBjMJ9NGo7iw=');
  });

  it('lower-cases and trims the e-mail address first', () => {
    expect(hex(hashEmail('  Test@THREEMA.ch\n'))).toBe(hex(hashEmail('test@threema.ch')));
  });

  it('hashes 41791234567 to the documented hex and base64', () => {
    const hash = hashPhoneNumber('41791234567');
    expect(hex(hash)).toBe('ad398f4d7ebe63c6550a486cc6e07f9baa09bd9d8b3d8cb9d9be106d35a7fdbc');
    expect(base64(hash)).toBe('rTmPTX6+Y8ZVCkhsxuB/m6oJvZ2LPYy52b4QbTWn/bw=');
  });

  it('strips the plus sign and separators from a phone number', () => {
    expect(hex(hashPhoneNumber('+41 79 123-45-67'))).toBe(hex(hashPhoneNumber('41791234567')));
  });
});
