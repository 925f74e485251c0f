#!/usr/bin/env node
// Runs `prisma generate` for one service's data-access project and makes the output reproducible: the
// generator writes absolute paths of the machine it ran on, which we replace with workspace-relative ones so
// that CI can regenerate and fail on any diff (style rule 10).
const { execFileSync } = require('node:child_process');
const { readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const workspaceRoot = resolve(__dirname, '..', '..');
const projectDir = resolve(process.argv[2] ?? '.');
const outputDir = join(projectDir, 'src', 'generated', 'prisma');

execFileSync(
  process.execPath,
  [join(workspaceRoot, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'],
  {
    cwd: projectDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      // generate never connects; the schema's env("DATABASE_URL") only has to be set
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://generate@localhost/unused',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --require ${join(__dirname, 'unref-long-timers.cjs')}`.trim(),
    },
  },
);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

// The generator also emits the generator's config entries in varying order from run to run; sort them.
function sortGeneratorConfig(text) {
  return text.replace(/("config": \{\n)((?:\s+"[^"]+": [^\n]+\n)+?)(\s+\})/, (_match, open, body, close) => {
    const entries = body
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => line.replace(/,$/, ''))
      .sort((a, b) => a.trim().localeCompare(b.trim()));
    return `${open}${entries.join(',\n')}\n${close}`;
  });
}

const prefix = `${workspaceRoot}/`;
for (const file of walk(outputDir)) {
  const text = readFileSync(file, 'utf8');
  const normalised = sortGeneratorConfig(text.split(prefix).join(''));
  if (normalised !== text) writeFileSync(file, normalised);
}
