import { Random } from './random';

// Byte-level mutations in the manner of AFL's havoc stage and libFuzzer's mutators: bit and byte flips,
// interesting integers (with extra weight at what look like length fields), inserted, deleted and duplicated
// ranges, splices of two corpus entries and tokens from the target's dictionary of protocol constants.

const INTERESTING_8 = [0, 1, 0x0f, 0x10, 0x11, 0x20, 0x7f, 0x80, 0xfe, 0xff];
const INTERESTING_16 = [
  0, 1, 15, 16, 17, 31, 32, 48, 128, 144, 255, 256, 8172, 8176, 8192, 8193, 0x7fff, 0xffff,
];
const INTERESTING_32 = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff, 0x1_0000];

export type MutationName =
  | 'flip-bit'
  | 'random-byte'
  | 'interesting-8'
  | 'interesting-16'
  | 'interesting-32'
  | 'length-field'
  | 'arithmetic'
  | 'insert-random'
  | 'delete-range'
  | 'duplicate-range'
  | 'copy-range'
  | 'splice'
  | 'dictionary-insert'
  | 'dictionary-overwrite'
  | 'truncate'
  | 'append-zeros';

export const MUTATIONS: readonly MutationName[] = [
  'flip-bit',
  'random-byte',
  'interesting-8',
  'interesting-16',
  'interesting-32',
  'length-field',
  'arithmetic',
  'insert-random',
  'delete-range',
  'duplicate-range',
  'copy-range',
  'splice',
  'dictionary-insert',
  'dictionary-overwrite',
  'truncate',
  'append-zeros',
];

export interface MutatorOptions {
  readonly maxLength: number;
  readonly dictionary: readonly Uint8Array[];
}

export class Mutator {
  constructor(
    private readonly random: Random,
    private readonly options: MutatorOptions,
  ) {}

  /** A new input: 1..8 stacked mutations of `input`; `other` is the splice partner. Never longer than maxLength. */
  mutate(input: Uint8Array, other: Uint8Array): Uint8Array {
    let out = input;
    const rounds = 1 << this.random.below(4);
    for (let i = 0; i < rounds; i++) out = this.apply(this.random.pick(MUTATIONS), out, other);
    return out.length > this.options.maxLength ? out.subarray(0, this.options.maxLength) : out;
  }

  apply(mutation: MutationName, input: Uint8Array, other: Uint8Array): Uint8Array {
    const random = this.random;
    if (input.length === 0 && mutation !== 'splice' && !mutation.startsWith('dictionary')) {
      return this.randomBytes(1 + random.below(16));
    }
    switch (mutation) {
      case 'flip-bit': {
        const out = input.slice();
        out[random.below(out.length)] ^= 1 << random.below(8);
        return out;
      }
      case 'random-byte': {
        const out = input.slice();
        out[random.below(out.length)] = random.below(256);
        return out;
      }
      case 'interesting-8': {
        const out = input.slice();
        out[random.below(out.length)] = random.pick(INTERESTING_8);
        return out;
      }
      case 'interesting-16':
        return this.writeInteger(input, random.pick(INTERESTING_16), 2);
      case 'interesting-32':
        return this.writeInteger(input, random.pick(INTERESTING_32), 4);
      case 'length-field': {
        // a u16 that (almost) matches the bytes after it: how a declared length usually relates to its data
        if (input.length < 2) return input;
        const at = random.below(input.length - 1);
        const rest = input.length - at - 2;
        return this.writeAt(input, at, rest + random.below(5) - 2, 2, random.oneIn(4));
      }
      case 'arithmetic': {
        const out = input.slice();
        const at = random.below(out.length);
        out[at] = (out[at] + random.below(35) - 17) & 0xff;
        return out;
      }
      case 'insert-random':
        return this.insert(input, random.below(input.length + 1), this.randomBytes(1 + random.below(32)));
      case 'delete-range': {
        const start = random.below(input.length);
        const length = 1 + random.below(Math.min(64, input.length - start));
        return concat(input.subarray(0, start), input.subarray(start + length));
      }
      case 'duplicate-range': {
        const [start, end] = this.range(input);
        return this.insert(input, random.below(input.length + 1), input.subarray(start, end));
      }
      case 'copy-range': {
        const [start, end] = this.range(input);
        const out = input.slice();
        const to = random.below(out.length);
        out.set(input.subarray(start, Math.min(end, start + out.length - to)), to);
        return out;
      }
      case 'splice': {
        if (other.length === 0) return input;
        const cut = random.below(input.length + 1);
        const from = random.below(other.length);
        return concat(input.subarray(0, cut), other.subarray(from));
      }
      case 'dictionary-insert': {
        if (this.options.dictionary.length === 0) return input;
        return this.insert(input, random.below(input.length + 1), random.pick(this.options.dictionary));
      }
      case 'dictionary-overwrite': {
        if (this.options.dictionary.length === 0 || input.length === 0) return input;
        const token = random.pick(this.options.dictionary);
        const out = input.slice();
        const at = random.below(out.length);
        out.set(token.subarray(0, out.length - at), at);
        return out;
      }
      case 'truncate':
        return input.subarray(0, random.below(input.length));
      case 'append-zeros':
        return concat(input, new Uint8Array(1 + random.below(64)));
    }
  }

  private writeInteger(input: Uint8Array, value: number, width: 2 | 4): Uint8Array {
    if (input.length < width) return input;
    return this.writeAt(
      input,
      this.random.below(input.length - width + 1),
      value,
      width,
      this.random.oneIn(4),
    );
  }

  private writeAt(
    input: Uint8Array,
    at: number,
    value: number,
    width: 2 | 4,
    bigEndian: boolean,
  ): Uint8Array {
    const out = input.slice();
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    if (width === 2) view.setUint16(at, value & 0xffff, !bigEndian);
    else view.setUint32(at, value >>> 0, !bigEndian);
    return out;
  }

  private range(input: Uint8Array): [number, number] {
    const start = this.random.below(input.length);
    return [start, start + 1 + this.random.below(Math.min(256, input.length - start))];
  }

  private insert(input: Uint8Array, at: number, bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(input.length + bytes.length);
    out.set(input.subarray(0, at));
    out.set(bytes, at);
    out.set(input.subarray(at), at + bytes.length);
    return out;
  }

  private randomBytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.random.below(256);
    return out;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
