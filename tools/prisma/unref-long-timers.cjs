// Prisma 6.19's Wasm schema engine leaves 10 s and 60 s timers running after it has finished, so the CLI would
// hang that long before exiting. Unreferencing long timers lets the process end when its work is done.
const originalSetTimeout = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(fn, ms, ...args) {
  const timer = originalSetTimeout.call(this, fn, ms, ...args);
  if (typeof ms === 'number' && ms >= 10_000 && timer && typeof timer.unref === 'function') timer.unref();
  return timer;
};
