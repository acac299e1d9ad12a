import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, workspaceRoot } from '@speech/test-support';

export interface ModelServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: string[];
  stop(): Promise<void>;
}

/** The project's Python (scripts/python-files.mjs has the same rule): SPEECH_PYTHON, else the venv `npm run python:setup` makes. */
export function speechPython(): string {
  const python = process.env['SPEECH_PYTHON'] || join(workspaceRoot(), '.cache/venv/bin/python');
  if (!existsSync(python)) throw new Error(`${python} does not exist: run \`npm run python:setup\` (or set SPEECH_PYTHON to a venv with python/requirements.lock)`);
  return python;
}

/**
 * The real Python model container (model-container/serve) as a process on a free port. By default it runs the
 * test-only fake runtime (fault injection: sleeps, hangs, crashes); pass RUNTIME=transformers and MODEL_PATH for real
 * weights, with a readyTimeoutMs that covers loading them.
 */
export async function startModelServer(env: Record<string, string> = {}, readyTimeoutMs = 30_000): Promise<ModelServerProcess> {
  const port = await freePort();
  const python = speechPython();
  const child = spawn(python, [join(workspaceRoot(), 'model-container/serve'), 'serve'], {
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', SAGEMAKER_BIND_TO_PORT: String(port), RUNTIME: 'fake', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the model server exited with ${child.exitCode}:\n${output.join('')}`);
    const ready = await fetch(`${url}/ping`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the model server did not become ready:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

