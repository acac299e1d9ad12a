import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/**
 * Before the API's tests: the native whisper build (compiled once, then cached), a generated
 * random-weight model, and a production build of the API for the tests that run it as a process.
 * Jest's alias resolver does not reach global setup, so the model generator runs through its CLI.
 */
export default async function globalSetup(): Promise<void> {
  const run = (args: string[], stdio: 'inherit' | 'ignore' = 'inherit') =>
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', stdio, 'inherit'], env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  run(['scripts/build-whisper.mjs']);
  run(['scripts/run-ts.mjs', 'libs/test-support/src/generate-model.cli.ts', '--preset', 'tiny-test'], 'ignore');
  run(['node_modules/nx/dist/bin/nx.js', 'build', 'api', '--output-style=stream'], 'ignore');
}
