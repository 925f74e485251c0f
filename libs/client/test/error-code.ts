/** Runs `action` and returns the `code` of the error it threw (undefined if it returned), for typed error assertions. */
export function errorCodeOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    if (error instanceof Error && 'code' in error) return error.code;
    throw error;
  }
  return undefined;
}
