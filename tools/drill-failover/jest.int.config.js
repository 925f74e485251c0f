const { jestConfig } = require('../../jest.preset.js');

// one drill with a small load; the CI limit for it is 3 minutes on a loaded 2-core machine
module.exports = { ...jestConfig({ kind: 'int', projectRoot: __dirname }), testTimeout: 180_000 };
