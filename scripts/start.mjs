#!/usr/bin/env node
// `npm start`: everything a fresh clone needs, then the API with the console on one origin (default 127.0.0.1:8080).
//   1. `npm ci` when node_modules is missing
//   2. ENGINE=local (the default): compile whisper.cpp for this CPU once (cached under .cache/whisper-native)
//   3. production builds of the API and the console (Nx caches them)
//   4. run dist/apps/api/main.js — the engine downloads WHISPER_MODEL on first start (checksum-verified)
// Environment variables are passed through unchanged; see the README's configuration table.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

function step(title, command, args) {
  process.stderr.write(`\n[start] ${title}\n`);
  const status = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env }).status;
  if (status !== 0) {
    process.stderr.write(`[start] failed: ${command} ${args.join(' ')}\n`);
    process.exit(status ?? 1);
  }
}

if (!existsSync(path.join(ROOT, 'node_modules/.package-lock.json'))) {
  step('installing packages (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']);
}
if ((process.env.ENGINE ?? 'local') === 'local' && !process.env.WHISPER_WORKER_BINARY) {
  step('compiling whisper.cpp for this CPU (first run only: ~2-3 min on 2 cores; needs cmake and g++)', process.execPath, ['scripts/build-whisper.mjs']);
}
const nx = path.join(ROOT, 'node_modules/nx/dist/bin/nx.js');
step('building the API and the console', process.execPath, [nx, 'run-many', '-t', 'build', '-p', 'api', 'web', '--output-style=static']);

// The API listens on 127.0.0.1 unless HOST says otherwise (HOST=0.0.0.0 puts it on the network); its own log line
// 'listening' shows the address it really bound.
const host = process.env.HOST ?? '127.0.0.1';
process.stderr.write(`\n[start] starting the API on http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT ?? '8080'}\n`);
const api = spawn(process.execPath, ['dist/apps/api/main.js'], { cwd: ROOT, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
