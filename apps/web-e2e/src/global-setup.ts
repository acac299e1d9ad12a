import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_PATH } from './support/browser';

/**
 * Before the console's e2e tests: the native whisper build (compiled once, then cached) and production
 * builds of the console and the API (Nx caches them when nothing changed). The generated model is made
 * (and cached) by the first test that starts the API.
 */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (the console e2e tests drive it)`);
  }
  // globalSetup runs outside jest's module resolution, so the workspace is found from this file.
  const root = path.resolve(__dirname, '../../..');
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  execFileSync(process.execPath, ['scripts/build-whisper.mjs'], { cwd: root, stdio: 'inherit' });
  // WEB_E2E_BUILD narrows what is built (e.g. "web" while iterating on the console only).
  const projects = process.env['WEB_E2E_BUILD'] ?? 'web,api';
  execFileSync(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'run-many', '-t', 'build', '-p', projects, '--output-style=stream'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}
