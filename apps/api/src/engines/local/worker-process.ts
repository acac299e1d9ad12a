import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

import { parseWorkerEvent, type WorkerEvent, type WorkerOp } from './worker-protocol';

export interface WorkerProcessOptions {
  binary: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** The worker is killed (SIGKILL) if it has not reported `ready` this soon. */
  readyTimeoutMs: number;
}

/** How one worker process ended. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  livedMs: number;
  /** Set when the binary could not be started at all (e.g. ENOENT). */
  spawnError?: string;
}

export interface WorkerProcessHandlers {
  onEvent(event: WorkerEvent): void;
  onUnexpectedLine(line: string): void;
  onStderr(line: string): void;
  onReadyTimeout(timeoutMs: number): void;
  /** Called once, after the process and its pipes have closed. */
  onExit(exit: WorkerExit): void;
}

/**
 * One whisper-worker child process, from spawn to exit: JSON-lines ops in on stdin, parsed events out of stdout,
 * stderr passed on line by line, and a kill if the model is not loaded in time. Restarts are the supervisor's job.
 */
export class WorkerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private closed = false;

  constructor(options: WorkerProcessOptions, handlers: WorkerProcessHandlers) {
    const child = spawn(options.binary, [...options.args], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env });
    this.child = child;
    const startedAt = Date.now();
    let spawnError: string | undefined;
    let ready = false;
    const readyTimer = setTimeout(() => {
      if (!ready) {
        handlers.onReadyTimeout(options.readyTimeoutMs);
        child.kill('SIGKILL');
      }
    }, options.readyTimeoutMs);
    readyTimer.unref();

    createInterface({ input: child.stdout }).on('line', (line) => {
      if (this.closed) return;
      const event = parseWorkerEvent(line);
      if (!event) return handlers.onUnexpectedLine(line);
      if (event.event === 'ready') ready = true;
      handlers.onEvent(event);
    });
    createInterface({ input: child.stderr }).on('line', (line) => handlers.onStderr(line));
    // EPIPE when the worker died mid-write: the close handler below deals with the consequences.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      spawnError = `cannot start ${options.binary}: ${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(readyTimer);
      this.closed = true;
      handlers.onExit({ code, signal, livedMs: Date.now() - startedAt, spawnError });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  send(op: WorkerOp): void {
    if (this.child.stdin.writable) this.child.stdin.write(`${JSON.stringify(op)}\n`);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** Sends `shutdown`, closes stdin and waits for the exit; kills the worker if it takes longer than `timeoutMs`. */
  async shutdown(timeoutMs: number): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ op: 'shutdown' });
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
