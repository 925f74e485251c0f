// Worker threads do not inherit the main thread's `--import tsx` loader: register tsx's CommonJS hook here, then
// load the TypeScript worker (and through it the code under test) with it.
require('tsx/cjs');
require('./worker.ts');
