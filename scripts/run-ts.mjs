#!/usr/bin/env node
// Runs a TypeScript entry point (CLIs, benchmarks) with the workspace's path aliases, no build step:
//   node scripts/run-ts.mjs <file.ts> [args...]
// @swc-node/register reads the aliases (@speech/*) from the tsconfig named in SWC_NODE_PROJECT.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [file, ...args] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/run-ts.mjs <file.ts> [args...]\n');
  process.exit(64);
}
const result = spawnSync(process.execPath, ['-r', '@swc-node/register', path.resolve(file), ...args], {
  stdio: 'inherit',
  cwd: process.cwd(),
  env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
});
process.exit(result.status ?? 1);
