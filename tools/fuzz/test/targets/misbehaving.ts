import type { FuzzTarget } from '../../src/targets/target';

// For the harness's own test: an input that starts with the trigger byte never returns ("H"), allocates JS heap
// without bound ("M") or allocates buffers (outside the heap) without bound ("B"). The watchdog must stop the
// first, the worker's heap limit the second and the resident-memory limit the third.

const kept: unknown[] = [];

function decode(input: Uint8Array, trigger: number): void {
  if (input.length === 0 || input[0] !== trigger) return;
  if (trigger === 0x48) {
    for (;;) {
      // spins until the supervisor terminates the worker
    }
  }
  for (;;)
    kept.push(trigger === 0x4d ? new Array<number>(1 << 20).fill(1) : new Uint8Array(32 << 20).fill(1));
}

export function misbehavingTarget(trigger: number): FuzzTarget {
  return {
    name: String.fromCharCode(trigger),
    coverage: ['tools/fuzz/test/targets/misbehaving.ts'],
    dictionary: [Uint8Array.of(trigger)],
    maxInputLength: 16,
    run(input) {
      decode(input, trigger);
    },
    seeds: () => [],
  };
}
