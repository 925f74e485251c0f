// A Jest project wired the way other projects' jest.int.config.js will be: run by shared-infrastructure.int-spec.ts.
const { jestConfig } = require('../../../../jest.preset.js');

module.exports = {
  ...jestConfig({ kind: 'int', projectRoot: __dirname }),
  testMatch: ['<rootDir>/**/*.check.ts'],
  globalSetup: '<rootDir>/../../src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../src/jest/global-teardown.ts',
};
