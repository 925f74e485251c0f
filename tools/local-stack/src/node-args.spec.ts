import { findWorkspaceRoot } from '@ots/db-tools';

import { SERVICE_NAMES } from './layout';
import { chartNodeArgs, nodeFlags } from './node-args';

describe('node flags as deployed', () => {
  it("are read from the charts' nodeArgs (contact-sync's heap sizing, nothing for the others)", () => {
    const args = chartNodeArgs(findWorkspaceRoot(), SERVICE_NAMES);
    expect(args['contact-sync']).toMatch(/--max-semi-space-size=\d+/);
    expect(Object.keys(args)).toEqual(['contact-sync']);
  });

  it('splits OTS_NODE_ARGS at spaces like the entrypoint', () => {
    expect(nodeFlags({ OTS_NODE_ARGS: ' --a=1  --b ' })).toEqual(['--a=1', '--b']);
    expect(nodeFlags({})).toEqual([]);
  });
});
