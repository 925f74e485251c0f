import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { findWorkspaceRoot } from '@ots/db-tools';
import { parse } from 'yaml';

import { deployedNodeArgs } from './services';

describe('deployedNodeArgs', () => {
  const root = findWorkspaceRoot(__dirname);

  it("are the chart's contact-sync nodeArgs, and docker-compose gives contact-sync the same OTS_NODE_ARGS", () => {
    const args = deployedNodeArgs(root);
    // the V8 heap sizing of docs/adr/0025
    expect(args).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-semi-space-size=\d+$/)]));
    expect(args).toEqual(expect.arrayContaining([expect.stringMatching(/^--initial-old-space-size=\d+$/)]));
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    expect(compose.services['contact-sync'].environment?.OTS_NODE_ARGS).toBe(args.join(' '));
  });
});
