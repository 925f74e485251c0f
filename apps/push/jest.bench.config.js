// `npm run bench:push`: the benchmark runs under Jest only because @swc/jest emits the decorator metadata Nest's
// dependency injection needs (tsx/esbuild does not); it measures, it does not gate.
const { jestConfig } = require('../../jest.preset.js');

module.exports = {
  ...jestConfig({ kind: 'int', projectRoot: __dirname }),
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  testTimeout: 600_000,
};
