const { jestConfig } = require('../../jest.preset.js');

module.exports = jestConfig({ kind: 'unit', projectRoot: __dirname });
