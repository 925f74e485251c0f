import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

import { loadTarget, REPOSITORY_ROOT } from '../targets';
import { CoverageMap, installCoverageHook } from './coverage';
import { describeError, FuzzLoop } from './fuzz-loop';
import { HEADER_BYTES, SLOT_RUNNING, type WorkerMessage, type WorkerOptions } from './protocol';

// The fuzzing loop, in a worker thread so that the supervisor can stop it when an input hangs and can see the
// input that exhausted the worker's heap limit.

function main(): void {
  const options = workerData as WorkerOptions;
  const port = parentPort;
  if (!port) throw new Error('the fuzz worker runs in a worker thread');
  const post = (message: WorkerMessage): void => {
    port.postMessage(message);
  };
  if (options.mode === 'replay') {
    const target = loadTarget(options.target, options.targetModule);
    const header = new Int32Array(options.shared, 0, HEADER_BYTES / 4);
    Atomics.store(header, SLOT_RUNNING, 1);
    try {
      target.run(options.input ?? new Uint8Array(0));
      post({ kind: 'replayed' });
    } catch (error) {
      post({ kind: 'replayed', error: describeError(error) });
    } finally {
      Atomics.store(header, SLOT_RUNNING, 0);
    }
    return;
  }
  // the hook must be in place before the target's module (and so the code under test) is first required
  const roots = options.coverageRoots.map((root) => path.resolve(REPOSITORY_ROOT, root));
  installCoverageHook(roots);
  const target = loadTarget(options.target, options.targetModule);
  const coverage = new CoverageMap(roots);
  coverage.reset();
  new FuzzLoop(options, target, coverage, post).run();
}

main();
