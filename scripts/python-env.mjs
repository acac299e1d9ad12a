#!/usr/bin/env node
// The project's Python: a venv at .cache/venv with exactly python/requirements.lock (hash-checked, from PyPI).
//   npm run python:setup            create or update it; a no-op (well under a second) when the lock has not changed
//   node scripts/python-env.mjs --check   exit 1 with the set-up command if the interpreter tests would use is not ready
// With SPEECH_PYTHON set, that interpreter is used as is and never modified (--check still checks it can serve).
// The venv is made from `python3` (SPEECH_PYTHON_BASE overrides); Debian needs python3-venv for that (.ci/run).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOCK_FILE, ROOT, VENV_DIR, VENV_PYTHON, basePython } from './python-files.mjs';

const STAMP = path.join(VENV_DIR, '.requirements.lock.sha256');
const SETUP_HINT = 'npm run python:setup';
/** Imports that prove the interpreter can run the model container and its tests. */
const PROBE = 'import fastapi, uvicorn, pytest, httpx, numpy, torch, transformers';

function lockDigest() {
  return createHash('sha256').update(readFileSync(LOCK_FILE)).digest('hex');
}

function isCurrent() {
  return existsSync(VENV_PYTHON) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === lockDigest();
}

function run(command, args) {
  process.stderr.write(`$ ${command} ${args.join(' ')}\n`);
  return spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } }).status ?? 1;
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Names pip would print for what is installed, normalized (PEP 503), minus pip's own bootstrap. */
function installedNames() {
  const out = spawnSync(VENV_PYTHON, ['-m', 'pip', 'list', '--format=json', '--disable-pip-version-check'], { encoding: 'utf8' });
  if (out.status !== 0) return [];
  return JSON.parse(out.stdout).map((p) => p.name.toLowerCase().replace(/[-_.]+/g, '-'));
}

function lockedNames() {
  return [...readFileSync(LOCK_FILE, 'utf8').matchAll(/^([A-Za-z0-9._-]+)==/gm)].map((m) => m[1].toLowerCase().replace(/[-_.]+/g, '-'));
}

function setup() {
  if (process.env.SPEECH_PYTHON) {
    process.stdout.write(`SPEECH_PYTHON=${process.env.SPEECH_PYTHON}: used as is, not managed by ${SETUP_HINT}\n`);
    return;
  }
  if (isCurrent()) {
    process.stdout.write(`${path.relative(ROOT, VENV_DIR)} matches ${path.relative(ROOT, LOCK_FILE)}\n`);
    return;
  }
  const started = Date.now();
  if (!existsSync(VENV_PYTHON) && run(basePython(), ['-m', 'venv', VENV_DIR]) !== 0) {
    rmSync(VENV_DIR, { recursive: true, force: true });
    fail(`Could not create ${VENV_DIR} with ${basePython()} -m venv. On Debian/Ubuntu: apt-get install -y python3-venv`);
  }
  rmSync(STAMP, { force: true }); // a half-done install must not look current
  // --no-deps: the lock is the whole closure already; --require-hashes: every file is the one the lock names.
  if (run(VENV_PYTHON, ['-m', 'pip', 'install', '--no-input', '--require-hashes', '--no-deps', '-r', LOCK_FILE]) !== 0) {
    fail(`pip could not install ${LOCK_FILE} (the lock is for CPython 3.11 on linux x86_64: see scripts/python-lock.mjs)`);
  }
  // A package dropped from the lock leaves the venv too, so the venv is exactly the lock.
  const locked = new Set(lockedNames());
  const extra = installedNames().filter((name) => !locked.has(name));
  if (extra.length > 0 && run(VENV_PYTHON, ['-m', 'pip', 'uninstall', '--yes', ...extra]) !== 0) fail('pip could not remove packages no longer locked');
  writeFileSync(STAMP, `${lockDigest()}\n`);
  process.stdout.write(`${path.relative(ROOT, VENV_DIR)} ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

function check() {
  const python = process.env.SPEECH_PYTHON || VENV_PYTHON;
  if (!process.env.SPEECH_PYTHON && !isCurrent()) fail(`${path.relative(ROOT, VENV_DIR)} is missing or older than ${path.relative(ROOT, LOCK_FILE)}: run ${SETUP_HINT}`);
  if (spawnSync(python, ['-c', PROBE], { stdio: 'ignore' }).status !== 0) fail(`${python} cannot import the model container's packages (${PROBE}): run ${SETUP_HINT}, or point SPEECH_PYTHON at a complete venv`);
  process.stdout.write(`${python}\n`);
}

if (process.argv.includes('--check')) check();
else setup();
