#!/usr/bin/env node
// The built CLI (`nx build cli` writes dist/apps/cli); from a checkout without a build use `npm run cli -- <command>`.
require('../../../dist/apps/cli/apps/cli/src/main.js');
