import { type IdentityInfo, ReceiverState } from '../domain/ports';

/** per identity: one byte of state, then the 32-byte X25519 public key */
const SLOT_BYTES = 33;
const KEY_BYTES = 32;
const INITIAL_SLOTS = 1024;
const CODE_OF: Partial<Record<ReceiverState, number>> = {
  [ReceiverState.Active]: 1,
  [ReceiverState.Inactive]: 2,
  [ReceiverState.Revoked]: 3,
};
const STATE_OF = [
  ReceiverState.Unknown,
  ReceiverState.Active,
  ReceiverState.Inactive,
  ReceiverState.Revoked,
] as const;
const REVOKED = 3;

/**
 * Key and state of many identities in little memory: a map from ID to slot, and the slots in one byte array
 * (about 100 bytes per identity, against about 250 as a map of objects with a key array each). What a login and
 * a receiver check need; a look-up answers with a view into the array. Revocation is final: once revoked, an
 * identity stays revoked here, whatever arrives later (docs/adr/0030).
 */
export class IdentityTable {
  private readonly slots = new Map<string, number>();
  private slab = new Uint8Array(SLOT_BYTES * INITIAL_SLOTS);

  get size(): number {
    return this.slots.size;
  }

  /** Adds or updates an identity; a malformed key or state is ignored (the look-up then asks the directory). */
  set(identity: string, state: ReceiverState, publicKey: Uint8Array): void {
    const code = CODE_OF[state];
    if (code === undefined || publicKey.length !== KEY_BYTES) return;
    let slot = this.slots.get(identity);
    if (slot === undefined) {
      slot = this.slots.size;
      this.reserve(slot + 1);
      this.slots.set(identity, slot);
    } else if (this.slab[slot * SLOT_BYTES] === REVOKED) {
      return;
    }
    const offset = slot * SLOT_BYTES;
    this.slab[offset] = code;
    this.slab.set(publicKey, offset + 1);
  }

  /** Marks a known identity revoked; an unknown one is left unknown (the directory answers for it). */
  revoke(identity: string): void {
    const slot = this.slots.get(identity);
    if (slot !== undefined) this.slab[slot * SLOT_BYTES] = REVOKED;
  }

  get(identity: string): IdentityInfo | undefined {
    const slot = this.slots.get(identity);
    if (slot === undefined) return undefined;
    const offset = slot * SLOT_BYTES;
    return {
      state: STATE_OF[this.slab[offset]],
      publicKey: this.slab.subarray(offset + 1, offset + 1 + KEY_BYTES),
    };
  }

  private reserve(slots: number): void {
    if (slots * SLOT_BYTES <= this.slab.length) return;
    // a key handed out earlier stays a view into the old array, which holds the same bytes: keys never change
    const grown = new Uint8Array(Math.max(slots * SLOT_BYTES, this.slab.length * 2));
    grown.set(this.slab);
    this.slab = grown;
  }
}
