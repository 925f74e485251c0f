/**
 * A whole number from 0 to `max` set in the environment variable `name` (`value`), or `fallback` when it is unset.
 * Anything else is refused with the variable's name and the allowed range, before a scenario starts.
 */
export function wholeNumberSetting(
  name: string,
  value: string | undefined,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed > max) {
    throw new Error(`${name} must be a whole number from 0 to ${String(max)}, not "${value}"`);
  }
  return parsed;
}
