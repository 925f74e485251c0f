const { jestConfig } = require('../../jest.preset.js');

module.exports = jestConfig({ kind: 'int', projectRoot: __dirname });
