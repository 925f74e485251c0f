// spec §3: a Threema ID is 8 characters, the first [0-9A-Z*], the rest [0-9A-Z]; `*` marks system identities.
const IDENTITY_PATTERN = /^[0-9A-Z*][0-9A-Z]{7}$/;

export function isIdentityId(value: string): boolean {
  return IDENTITY_PATTERN.test(value);
}
