import { isDeepStrictEqual } from 'node:util';

/**
 * One fuzz target: a decoder (or a group of decoders behind a selector byte) and its property. `run` returns
 * when the property holds for the input — the decoder returned a value, or threw the module's own typed error —
 * and throws otherwise: the unexpected exception itself, or a PropertyViolation (failed round trip, unbounded
 * output).
 */
export interface FuzzTarget {
  readonly name: string;
  /** Source roots (repository-relative) instrumented for coverage guidance. */
  readonly coverage: readonly string[];
  /** Protocol constants the mutator inserts (magic strings, type bytes, identities, field names). */
  readonly dictionary: readonly Uint8Array[];
  readonly maxInputLength: number;
  run(input: Uint8Array): void;
  /** Valid examples (spec §11 vectors, encoder output): the checked-in seed corpus is written from these. */
  seeds(): readonly Seed[];
}

export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The property failed in a way that is not an exception of the code under test. */
export class PropertyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyViolation';
  }
}

/**
 * Runs `decode`; returns its value, or undefined when it threw an error `isExpected` accepts (the module's own
 * typed error). Any other exception propagates: that is the finding.
 */
export function decodeOrRefuse<T>(decode: () => T, isExpected: (error: unknown) => boolean): T | undefined {
  try {
    return decode();
  } catch (error) {
    if (isExpected(error)) return undefined;
    throw error;
  }
}

export function requireEqual(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(normalise(actual), normalise(expected))) {
    throw new PropertyViolation(`${what}: round trip differs`);
  }
}

/** Byte arrays compare by content whatever their class (Buffer vs Uint8Array). */
function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalise(inner)]));
  }
  return value;
}

/** Bytes held by a decoded value: byte arrays, strings (UTF-16 units) and array slots, counted recursively. */
export function retainedSize(value: unknown, depth = 0): number {
  if (depth > 16) throw new PropertyViolation('decoded value nests deeper than 16 levels');
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value))
    return value.reduce<number>((sum, item) => sum + 1 + retainedSize(item, depth + 1), 0);
  if (value !== null && typeof value === 'object') {
    return Object.values(value).reduce<number>((sum, item) => sum + retainedSize(item, depth + 1), 0);
  }
  return 1;
}

/** Decoders never amplify: what they return is bounded by what they were given (no allocation without bound). */
export function requireBoundedOutput(value: unknown, inputLength: number, what: string): void {
  const size = retainedSize(value);
  if (size > 2 * inputLength + 256) {
    throw new PropertyViolation(`${what}: ${size} units decoded from ${inputLength} bytes`);
  }
}

export function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** First byte selects one of `count` sub-targets; the rest is the decoder's input. */
export function select(
  input: Uint8Array,
  count: number,
): { readonly which: number; readonly body: Uint8Array } {
  if (input.length === 0) return { which: 0, body: input };
  return { which: input[0] % count, body: input.subarray(1) };
}
