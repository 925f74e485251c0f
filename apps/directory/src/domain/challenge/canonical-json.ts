/** The request fields a challenge is bound to: flat, scalar values (IDs, base64 keys, numbers as strings). */
export type ChallengeData = Readonly<Record<string, string | number | boolean>>;

/** JSON with its keys sorted, so equal data always hashes the same whatever order the client sent. */
export function canonicalJson(data: ChallengeData): string {
  const entries = Object.keys(data)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(data[key])}`);
  return `{${entries.join(',')}}`;
}
