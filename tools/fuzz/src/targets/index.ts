import path from 'node:path';

import type { FuzzTarget } from './target';

/** The targets of `npm run fuzz`, by name, each in its own module (loaded only after the coverage hook). */
export const TARGET_MODULES: Readonly<
  Record<string, { readonly file: string; readonly exportName: string }>
> = {
  handshake: { file: 'handshake', exportName: 'handshakeTarget' },
  frame: { file: 'frame', exportName: 'frameTarget' },
  'message-struct': { file: 'message-struct', exportName: 'messageStructTarget' },
  'login-extensions': { file: 'login-extensions', exportName: 'loginExtensionsTarget' },
  'directory-request': { file: 'directory-request', exportName: 'directoryRequestTarget' },
  'csp-connection': { file: 'csp-connection', exportName: 'cspConnectionTarget' },
};

export const TARGET_NAMES = Object.keys(TARGET_MODULES);

/** The repository root (this file is tools/fuzz/src/targets/index.ts). */
export const REPOSITORY_ROOT = path.resolve(__dirname, '../../../..');
export const FUZZ_ROOT = path.resolve(__dirname, '../..');

/**
 * Loads a target by name, or from `modulePath` (an absolute path exporting `target`, for the harness's own
 * tests). A plain require, so that the coverage hook sees the target's imports.
 */
export function loadTarget(name: string, modulePath?: string): FuzzTarget {
  if (modulePath !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load through the coverage hook
    return (require(modulePath) as { target: FuzzTarget }).target;
  }
  const entry = TARGET_MODULES[name] as (typeof TARGET_MODULES)[string] | undefined;
  if (!entry) throw new Error(`unknown fuzz target "${name}" (known: ${TARGET_NAMES.join(', ')})`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load through the coverage hook
  const loaded = require(path.join(__dirname, entry.file)) as Record<string, FuzzTarget>;
  return loaded[entry.exportName];
}
