// Shared Jest settings: @swc/jest keeps Nest's decorator metadata and is fast; path aliases come from tsconfig.base.json.
const path = require('node:path');
const fs = require('node:fs');

const root = __dirname;
const swcConfig = JSON.parse(fs.readFileSync(path.join(root, '.swcrc.json'), 'utf8'));
delete swcConfig.$schema;
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(root, target);
}

/** @param {{ kind: 'unit' | 'int', projectRoot: string }} options */
function jestConfig({ kind, projectRoot }) {
  const isUnit = kind === 'unit';
  return {
    rootDir: projectRoot,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    testMatch: isUnit ? ['<rootDir>/**/*.spec.ts'] : ['<rootDir>/**/*.int-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    clearMocks: true,
    testTimeout: isUnit ? 10_000 : 60_000,
    ...(isUnit ? {} : { maxWorkers: 1, reporters: ['default', path.join(root, 'jest.int-watchdog.js')] }),
  };
}

module.exports = { jestConfig, moduleNameMapper };
