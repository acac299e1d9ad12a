import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedWhisperModel, freePort, workspaceRoot } from '@speech/test-support';
import { sileroWeights } from '@speech/test-support';

/** The Silero model every API process loads at boot (VAD is on by default), fetched once per test process. */
let vadModel: string | undefined;

export interface ApiProcess {
  readonly url: string;
  readonly tmpDir: string;
  /** DATA_DIR: the SQLite job store and the local blob store. */
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Every line the process printed (JSON logs and anything else). */
  readonly output: string[];
  /** PIDs of processes the API started (the whisper worker). */
  childPids(): number[];
  /** Request folders still present in TMP_DIR. */
  leftoverTempEntries(): string[];
  /** Resident memory of the API process now, and its peak so far (from /proc), in MiB. */
  memory(): { rssMiB: number; peakRssMiB: number };
  /** Kills the process (SIGKILL by default: no shutdown hooks run) and waits for it to exit; folders stay. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** A new process with the same environment and folders, as after a crash or a redeploy. */
  restart(extraEnv?: Record<string, string>): Promise<ApiProcess>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Share these folders with other processes (two APIs on one store); they are then left for the caller to remove. */
  readonly tmpDir?: string;
  readonly dataDir?: string;
}

/** Starts the built API (dist/apps/api/main.js) as a real process on a free port, with a generated model. */
/** `env` overrides the defaults below; a variable set to undefined is left out (e.g. HOST, to see the API's default). */
export async function startApi(env: Record<string, string | undefined> = {}, options: StartOptions = {}): Promise<ApiProcess> {
  const root = workspaceRoot();
  const main = join(root, 'dist/apps/api/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` (the jest global setup does).`);
  const ownsTmp = options.tmpDir === undefined;
  const tmpDir = options.tmpDir ?? mkdtempSync(join(tmpdir(), 'api-e2e-'));
  const dataDir = options.dataDir ?? join(tmpDir, 'data');
  const fullEnv: Record<string, string | undefined> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? tmpDir,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    TMP_DIR: tmpDir,
    DATA_DIR: dataDir,
    WHISPER_MODEL: await cachedWhisperModel('tiny-test'),
    WHISPER_AUTO_DOWNLOAD: 'false',
    VAD_MODEL_PATH: (vadModel ??= sileroWeights()),
    WEB_DIST: join(tmpDir, 'no-console'),
    // The native build the global setup made or checked: a worktree with its own worker build names its cache here.
    ...(process.env['WHISPER_NATIVE_CACHE'] ? { WHISPER_NATIVE_CACHE: process.env['WHISPER_NATIVE_CACHE'] } : {}),
    // The generated random-weight model never passes Whisper's quality thresholds, so the temperature fallback would
    // only decode every window six times, at random; tests that run real weights (WHISPER_MODEL set) keep it on.
    ...(env['WHISPER_MODEL'] === undefined ? { TEMPERATURE_FALLBACK: 'false' } : {}),
    ...env,
  };
  for (const [name, value] of Object.entries(fullEnv)) if (value === undefined) delete fullEnv[name];
  return launch(main, root, fullEnv as Record<string, string>, { tmpDir, dataDir, ownsTmp });
}

async function launch(main: string, root: string, env: Record<string, string>, dirs: { tmpDir: string; dataDir: string; ownsTmp: boolean }): Promise<ApiProcess> {
  const { tmpDir, dataDir } = dirs;
  const port = await freePort();
  const child = spawn(process.execPath, [main], { cwd: root, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (exited()) return;
    const done = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  };
  return {
    url,
    tmpDir,
    dataDir,
    child,
    output,
    childPids: () => childrenOf(child.pid ?? -1),
    leftoverTempEntries: () => (existsSync(tmpDir) ? readdirSync(tmpDir).filter((name) => name.startsWith('req-')) : []),
    memory: () => memoryOf(child.pid ?? -1),
    kill,
    restart: (extraEnv = {}) => launch(main, root, { ...env, ...extraEnv }, { ...dirs, ownsTmp: false }),
    stop: async () => {
      await kill('SIGTERM');
      if (dirs.ownsTmp) rmSync(tmpDir, { recursive: true, force: true });
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

function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}
