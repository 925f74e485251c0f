import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: unknown;
  readonly data?: Record<string, string>;
  readonly [key: string]: unknown;
}

export interface ChartValues {
  readonly schema: Record<string, unknown> | null;
  readonly hasSchema: boolean;
  readonly values: Record<string, unknown>;
}

export interface RenderResult {
  readonly status: number | null;
  readonly stderr: string;
  readonly objects: K8sObject[];
  /** final values and schema of every rendered chart, keyed by chart path (ots, ots/charts/directory, …) */
  readonly values: Record<string, ChartValues>;
}

const APT_HINT =
  'apt-get install -y --no-install-recommends golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev golang-k8s-sigs-yaml-dev';

/**
 * Builds tools/deploy-checks/minihelm (the test-only Helm renderer of design/toolchain.md §6) once per source
 * version into the temp folder, and returns the binary's path.
 */
export function buildMinihelm(projectDir: string): string {
  const source = readFileSync(join(projectDir, 'minihelm', 'main.go'));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const binary = join(tmpdir(), `ots-minihelm-${hash}`);
  if (existsSync(binary)) return binary;
  const result = spawnSync('bash', [join(projectDir, 'minihelm', 'build.sh'), `${binary}.tmp`], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status !== 0) {
    throw new Error(`building minihelm failed (needs Debian's Go and sprig: ${APT_HINT}):\n${result.stderr}`);
  }
  spawnSync('mv', [`${binary}.tmp`, binary]);
  return binary;
}

export function render(
  binary: string,
  chartDir: string,
  options: {
    readonly valueFiles?: readonly string[];
    readonly set?: readonly string[];
    readonly release?: string;
  } = {},
): RenderResult {
  const dir = mkdtempSync(join(tmpdir(), 'ots-render-'));
  try {
    const valuesOut = join(dir, 'values.json');
    const args = [
      '-release-name',
      options.release ?? 'ots',
      '-namespace',
      'ots',
      '-values-out',
      valuesOut,
      ...(options.valueFiles ?? []).flatMap((file) => ['-f', file]),
      ...(options.set ?? []).flatMap((expression) => ['-set', expression]),
      chartDir,
    ];
    const result = spawnSync(binary, args, {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) return { status: result.status, stderr: result.stderr, objects: [], values: {} };
    const objects = parseAllDocuments(result.stdout)
      .map((document) => document.toJS() as K8sObject | null)
      .filter((object): object is K8sObject => object !== null);
    const values = JSON.parse(readFileSync(valuesOut, 'utf8')) as Record<string, ChartValues>;
    return { status: result.status, stderr: result.stderr, objects, values };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ValidationResult {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string | null;
  readonly error: string | null;
}

/** Validates objects against the Kubernetes API schemas (kubernetes-models), in a child Node process (ESM). */
export function validateObjects(projectDir: string, objects: readonly K8sObject[]): ValidationResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'ots-validate-'));
  try {
    const input = join(dir, 'objects.json');
    writeFileSync(input, JSON.stringify(objects));
    const result = spawnSync('node', [join(projectDir, 'validate-objects.mjs')], {
      input: readFileSync(input),
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      cwd: projectDir,
    });
    if (result.status !== 0) throw new Error(`validate-objects.mjs failed:\n${result.stderr}`);
    return JSON.parse(result.stdout) as ValidationResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
