import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cachedWhisperModel, freePort, sileroWeights, workspaceRoot } from '@speech/test-support';

export interface RunningApi {
  /** Origin serving both the API and the built console. */
  readonly url: string;
  readonly output: string[];
  stop(): Promise<void>;
}

/** The built API (dist/apps/api/main.js) as a real process, serving the built console from WEB_DIST on its origin. */
export async function startApiWithConsole(env: Record<string, string> = {}): Promise<RunningApi> {
  const root = workspaceRoot();
  const main = path.join(root, 'dist/apps/api/main.js');
  const webDist = path.join(root, 'dist/apps/web/browser');
  for (const required of [main, path.join(webDist, 'index.html')]) {
    if (!existsSync(required)) throw new Error(`${required} is missing: the jest global setup builds web and api`);
  }
  const port = await freePort();
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'web-e2e-'));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'web-e2e-data-'));
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? tmpDir,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      TMP_DIR: tmpDir,
      // Jobs (SQLite + blobs) live in a folder of this run, removed by stop().
      DATA_DIR: dataDir,
      WHISPER_MODEL: await cachedWhisperModel('tiny-test'),
      WHISPER_AUTO_DOWNLOAD: 'false',
      // The real Silero weights (npm run models:vad): without them the API would start not ready.
      VAD_MODEL_PATH: sileroWeights(),
      WEB_DIST: webDist,
      // Random weights never pass Whisper's quality thresholds: the temperature fallback would only multiply decodes.
      ...(env['WHISPER_MODEL'] === undefined ? { TEMPERATURE_FALLBACK: 'false' } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
  }
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${output.slice(-20).join('\n')}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API did not become ready:\n${output.slice(-20).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(tmpDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

