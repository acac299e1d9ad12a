import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedWhisperModel, workspaceRoot } from '@speech/test-support';

export interface ApiProcess {
  readonly url: string;
  readonly tmpDir: string;
  readonly child: ChildProcess;
  /** Every line the process printed (JSON logs and anything else). */
  readonly output: string[];
  /** PIDs of processes the API started (the whisper worker). */
  childPids(): number[];
  /** Request folders still present in TMP_DIR. */
  leftoverTempEntries(): string[];
  stop(): Promise<void>;
}

/** Starts the built API (dist/apps/api/main.js) as a real process on a free port, with a generated model. */
export async function startApi(env: Record<string, string> = {}): Promise<ApiProcess> {
  const root = workspaceRoot();
  const main = join(root, 'dist/apps/api/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` (the jest global setup does).`);
  const port = await freePort();
  const tmpDir = mkdtempSync(join(tmpdir(), 'api-e2e-'));
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? tmpDir,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      TMP_DIR: tmpDir,
      WHISPER_MODEL: await cachedWhisperModel('tiny-test'),
      WHISPER_AUTO_DOWNLOAD: 'false',
      WEB_DIST: join(tmpDir, 'no-console'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    let partial = '';
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child, output);
  return {
    url,
    tmpDir,
    child,
    output,
    childPids: () => childrenOf(child.pid ?? -1),
    leftoverTempEntries: () => (existsSync(tmpDir) ? readdirSync(tmpDir) : []),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${output.slice(-20).join('\n')}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the API did not become ready:\n${output.slice(-20).join('\n')}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Direct children, read from /proc (Linux), so tests can hang or kill the engine's worker for real. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}
