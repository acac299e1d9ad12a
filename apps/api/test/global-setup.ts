import { execFileSync } from 'node:child_process';
import { cachedWhisperModel, workspaceRoot } from '../../../libs/test-support/src';  // globalSetup runs outside jest's alias resolver

/**
 * Before the API's tests: the native whisper build (compiled once, then cached), a generated
 * random-weight model, and a production build of the API for the tests that run it as a process.
 */
export default async function globalSetup(): Promise<void> {
  const root = workspaceRoot();
  execFileSync(process.execPath, ['scripts/build-whisper.mjs'], { cwd: root, stdio: 'inherit' });
  await cachedWhisperModel('tiny-test');
  execFileSync(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'build', 'api', '--output-style=stream'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
}
