import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import type { ServiceName } from './layout';

/**
 * Each service's node flags as its Helm chart deploys them (`nodeArgs` in charts/ots-<service>/values.yaml, which
 * the image's entrypoint gets as OTS_NODE_ARGS), so that `npm start` runs the services as deployed.
 */
export function chartNodeArgs(
  root: string,
  names: readonly ServiceName[],
): Partial<Record<ServiceName, string>> {
  const args: Partial<Record<ServiceName, string>> = {};
  for (const name of names) {
    const file = join(root, 'charts', `ots-${name}`, 'values.yaml');
    if (!existsSync(file)) continue;
    const values = parse(readFileSync(file, 'utf8')) as { nodeArgs?: unknown } | null;
    const nodeArgs = values?.nodeArgs;
    if (nodeArgs === undefined || nodeArgs === '') continue;
    if (typeof nodeArgs !== 'string') throw new Error(`${file}: nodeArgs is not a string`);
    args[name] = nodeArgs;
  }
  return args;
}

/** OTS_NODE_ARGS split as the image's shell splits it: at spaces. */
export function nodeFlags(env: Readonly<Partial<Record<string, string>>>): string[] {
  return (env.OTS_NODE_ARGS ?? '').split(' ').filter((flag) => flag.length > 0);
}
