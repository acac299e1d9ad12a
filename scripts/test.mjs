#!/usr/bin/env node
// The one test command (README, CI): set up what the tests need, then run every suite and print one closing line.
//   npm test                 everything: eslint (all projects), the API client drift check, jest (api, web, contracts, test-support, infra), pytest (model container)
//   npm test -- --jest-only  skip pytest
// Set-up it does itself: `npm ci` when node_modules is missing, the native whisper.cpp build (cached), generated
// models and speech fixtures (cached under .cache/), the Python venv (npm run python:setup; SPEECH_PYTHON overrides).
// System packages it needs: ffmpeg, espeak-ng, cmake, g++, python3 with venv (Debian: see .ci/run) — it names the missing ones.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { speechPython } from './python-files.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const REPORT_DIR = path.join(ROOT, 'test-output');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };

function run(command, commandArgs, options = {}) {
  process.stderr.write(`\n$ ${command} ${commandArgs.join(' ')}\n`);
  return spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit', env, ...options }).status ?? 1;
}

function has(command, versionArg = '--version') {
  return spawnSync(command, [versionArg], { stdio: 'ignore' }).status === 0;
}

function checkSystemTools() {
  const missing = [];
  if (!has('espeak-ng')) missing.push('espeak-ng');
  if (!has('cmake')) missing.push('cmake');
  if (!has('g++')) missing.push('g++');
  if (!has('ffmpeg', '-version')) missing.push('ffmpeg');
  if (!has('python3')) missing.push('python3 python3-venv');
  if (missing.length > 0) {
    process.stderr.write(`Missing system packages. On Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}\n`);
    process.exit(1);
  }
}

if (!existsSync(path.join(ROOT, 'node_modules/.package-lock.json'))) {
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
}
checkSystemTools();
// The http engine's jest suites start the real model container too, so Python is set up even with --jest-only.
if (run(process.execPath, ['scripts/python-env.mjs']) !== 0 || run(process.execPath, ['scripts/python-env.mjs', '--check']) !== 0) process.exit(1);
rmSync(REPORT_DIR, { recursive: true, force: true });
mkdirSync(REPORT_DIR, { recursive: true });

// Lint first: module boundaries (web never imports api, contracts import nothing) are rules, not advice.
const lintStatus = run(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'run-many', '-t', 'lint', '--output-style=static']);
// The console's API client must be generated from the API's current OpenAPI document (fix: npx nx run web:generate-api-client).
const apiClientStatus = run(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'run', 'web:check-api-client', '--output-style=static']);

const jestReport = path.join(REPORT_DIR, 'jest.json');
const jestStatus = run(process.execPath, ['node_modules/jest/bin/jest.js', '--ci', '--json', `--outputFile=${jestReport}`]);
let passed = 0;
let failed = 0;
if (existsSync(jestReport)) {
  const report = JSON.parse(readFileSync(jestReport, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
} else {
  failed += 1;
}

let pytestStatus = 0;
if (!args.has('--jest-only')) {
  const junit = path.join(REPORT_DIR, 'pytest.xml');
  pytestStatus = run(speechPython(), ['-m', 'pytest', 'model-container/tests', 'scripts/models/tests', '-q', `--junitxml=${junit}`], {
    env: { ...env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (existsSync(junit)) {
    const xml = readFileSync(junit, 'utf8');
    const attr = (name) => Number(new RegExp(`<testsuite[^>]*\\s${name}="(\\d+)"`).exec(xml)?.[1] ?? 0);
    const failures = attr('failures') + attr('errors');
    passed += attr('tests') - failures - attr('skipped');
    failed += failures;
  } else {
    failed += 1;
  }
}

const ok = lintStatus === 0 && apiClientStatus === 0 && jestStatus === 0 && pytestStatus === 0 && failed === 0;
if (lintStatus !== 0) process.stdout.write('\nLint failed (see above).\n');
if (apiClientStatus !== 0) process.stdout.write('\nThe generated API client is stale (see above).\n');
process.stdout.write(`\nTotal: ${passed} passed, ${failed} failed\n`);
process.exit(ok ? 0 : 1);
