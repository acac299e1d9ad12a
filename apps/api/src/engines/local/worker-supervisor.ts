import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

import { isErrorCode } from '@speech/contracts';

import { DomainError } from '../../common/domain-error';
import type { EngineLogger } from './engine-logger';
import { SlotQueue } from './slot-queue';
import {
  parseWorkerEvent,
  type BenchEncodeOp,
  type BenchEvent,
  type ReadyEvent,
  type ResultEvent,
  type TranscribeOp,
  type WorkerEvent,
  type WorkerOp,
} from './worker-protocol';

export interface SupervisorOptions {
  binary: string;
  args: readonly string[];
  /** Environment of the worker; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** Jobs the worker runs at once (its --parallel); further calls wait here for a slot. */
  parallel: number;
  /** A cancelled job must end this soon, or the worker is killed (SIGKILL) and restarted. */
  cancelGraceMs?: number;
  /** First restart delay after a crash; doubles per consecutive crash up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Loading a large model from a cold disk can take a while. */
  readyTimeoutMs?: number;
  logger: EngineLogger;
}

export type SupervisorState = 'idle' | 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

type JobRequest = Omit<TranscribeOp, 'id'> | Omit<BenchEncodeOp, 'id'>;
type JobOutcome<T extends JobRequest> = T extends Omit<TranscribeOp, 'id'> ? ResultEvent : BenchEvent;

interface Job {
  id: string;
  resolve(event: ResultEvent | BenchEvent): void;
  reject(error: unknown): void;
  /** Answers the caller (abort) while the worker still owes the job's final event. */
  abandon(reason: unknown): void;
  onProgress?: (fraction: number) => void;
  /** Set once the caller has been answered (e.g. on abort) while the worker still owes a final event. */
  settled: boolean;
  killTimer?: NodeJS.Timeout;
}

const STDERR_LINES_KEPT = 30;
/** A worker that stayed up this long is healthy again: the next crash restarts without back-off. */
const STABLE_AFTER_MS = 30_000;
/** Consecutive deaths before ready that end the restart loop (a model that cannot load will not load). */
const MAX_FAILED_STARTS = 3;

/**
 * Runs the whisper-worker child process: starts it, routes its JSON-lines events to the pending calls by id,
 * restarts it with back-off when it dies (failing the calls it was running with ENGINE_FAILED), and kills
 * a worker that does not honour a cancel within the grace period.
 */
export class WorkerSupervisor {
  private child?: ChildProcessWithoutNullStreams;
  private readonly jobs = new Map<string, Job>();
  private readonly slots: SlotQueue;
  private nextId = 1;
  private backoffMs: number;
  private failedStarts = 0;
  private restartTimer?: NodeJS.Timeout;
  private readyWaiters: Array<{ resolve(): void; reject(error: unknown): void }> = [];
  private readonly stderrTail: string[] = [];
  private fatal?: DomainError;
  private stopping = false;

  state: SupervisorState = 'idle';
  ready?: ReadyEvent;
  restarts = 0;
  lastError?: string;

  constructor(private readonly options: SupervisorOptions) {
    this.backoffMs = options.initialBackoffMs ?? 250;
    this.slots = new SlotQueue(options.parallel);
  }

  /** Spawns the worker and resolves once it has loaded the model. */
  async start(): Promise<ReadyEvent> {
    if (this.child) {
      await this.whenReady();
      return this.ready as ReadyEvent;
    }
    this.stopping = false;
    this.fatal = undefined;
    this.failedStarts = 0;
    this.spawnWorker();
    await this.whenReady();
    return this.ready as ReadyEvent;
  }

  /** Runs one job. Rejects with `signal.reason` as soon as the signal aborts (the worker is told to cancel). */
  async run<T extends JobRequest>(
    request: T,
    options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
  ): Promise<JobOutcome<T>> {
    const { signal } = options;
    signal?.throwIfAborted();
    await this.slots.acquire(signal);
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        this.slots.release();
      }
    };
    try {
      await this.whenReady(signal);
    } catch (error) {
      release();
      throw error;
    }
    if (!this.child || !this.ready) {
      release();
      throw new DomainError('ENGINE_FAILED', 'The whisper worker stopped before the request could be sent.');
    }
    const id = `j${this.nextId++}`;
    return new Promise<JobOutcome<T>>((resolve, reject) => {
      const onAbort = () => this.cancel(id, signal?.reason);
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        release();
      };
      const job: Job = {
        id,
        onProgress: options.onProgress,
        settled: false,
        resolve: (event) => {
          done();
          if (!job.settled) resolve(event as JobOutcome<T>);
        },
        reject: (error) => {
          done();
          if (!job.settled) reject(error);
        },
        abandon: (reason) => {
          job.settled = true;
          reject(reason);
        },
      };
      this.jobs.set(id, job);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.send({ ...request, id } as WorkerOp);
    });
  }

  // The caller is answered at once; the slot stays taken until the worker confirms the cancel, so a
  // worker that is still unwinding never receives more jobs than it has slots.
  private cancel(id: string, reason: unknown): void {
    const job = this.jobs.get(id);
    if (!job || job.settled) return;
    job.abandon(reason);
    this.send({ op: 'cancel', id });
    const grace = this.options.cancelGraceMs ?? 2000;
    job.killTimer = setTimeout(() => {
      if (this.jobs.has(id) && this.child) {
        this.options.logger.warn(`whisper worker ignored cancel of ${id} for ${grace} ms; killing it`);
        this.child.kill('SIGKILL');
      }
    }, grace);
    job.killTimer.unref();
  }

  /** Asks the worker to finish, then kills it if it does not exit in time. */
  async stop(timeoutMs = 3000): Promise<void> {
    this.stopping = true;
    this.state = 'stopped';
    clearTimeout(this.restartTimer);
    this.rejectReadyWaiters(new DomainError('ENGINE_FAILED', 'The local engine is shutting down.'));
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.send({ op: 'shutdown' });
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  get stderr(): readonly string[] {
    return this.stderrTail;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private spawnWorker(): void {
    this.state = this.restarts > 0 ? 'restarting' : 'starting';
    this.ready = undefined;
    const child = spawn(this.options.binary, [...this.options.args], { stdio: ['pipe', 'pipe', 'pipe'], env: this.options.env });
    this.child = child;
    const startedAt = Date.now();
    let spawnError: string | undefined;
    const readyTimer = setTimeout(() => {
      if (this.child === child && !this.ready) {
        this.lastError = `worker not ready after ${this.options.readyTimeoutMs ?? 120_000} ms`;
        child.kill('SIGKILL');
      }
    }, this.options.readyTimeoutMs ?? 120_000);
    readyTimer.unref();

    createInterface({ input: child.stdout }).on('line', (line) => this.onLine(child, line));
    createInterface({ input: child.stderr }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
    });
    // EPIPE when the worker died mid-write: the exit handler below deals with the consequences.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      spawnError = `cannot start ${this.options.binary}: ${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(readyTimer);
      if (this.child === child) this.onExit(code, signal, Date.now() - startedAt, spawnError);
    });
  }

  private onLine(child: ChildProcessWithoutNullStreams, line: string): void {
    if (this.child !== child) return;
    const event = parseWorkerEvent(line);
    if (!event) {
      this.options.logger.warn(`whisper worker wrote an unexpected line: ${line.slice(0, 200)}`);
      return;
    }
    this.onEvent(event);
  }

  private onEvent(event: WorkerEvent): void {
    switch (event.event) {
      case 'ready':
        this.ready = event;
        this.state = 'ready';
        this.failedStarts = 0;
        this.readyWaiters.splice(0).forEach((w) => w.resolve());
        return;
      case 'fatal':
        this.fatal = new DomainError(isErrorCode(event.code) ? event.code : 'MODEL_UNAVAILABLE', event.message);
        this.lastError = event.message;
        return;
      case 'progress': {
        const job = this.jobs.get(event.id);
        if (job && !job.settled) job.onProgress?.(Math.min(1, Math.max(0, event.percent / 100)));
        return;
      }
      case 'result':
      case 'bench':
        this.backoffMs = this.options.initialBackoffMs ?? 250;
        this.finish(event.id, (job) => job.resolve(event));
        return;
      case 'error': {
        if (event.id === null) {
          this.options.logger.warn(`whisper worker rejected a line: ${event.message}`);
          return;
        }
        const code = isErrorCode(event.code) ? event.code : 'ENGINE_FAILED';
        this.finish(event.id, (job) => job.reject(new DomainError(code, event.message)));
        return;
      }
    }
  }

  private finish(id: string, settle: (job: Job) => void): void {
    const job = this.jobs.get(id);
    if (!job) return;
    clearTimeout(job.killTimer);
    this.jobs.delete(id);
    settle(job);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, livedMs: number, spawnError?: string): void {
    this.child = undefined;
    const wasReady = this.ready !== undefined;
    this.ready = undefined;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const tail = this.stderrTail.slice(-5).join(' | ');
    if (!this.stopping) {
      this.lastError = this.fatal?.message ?? spawnError ?? `whisper worker died (${how})${tail ? `: ${tail}` : ''}`;
      this.options.logger.error(this.lastError);
    }
    const failure = new DomainError('ENGINE_FAILED', `The whisper worker stopped (${how}) while transcribing.`);
    for (const id of [...this.jobs.keys()]) this.finish(id, (job) => job.reject(failure));

    if (this.stopping) return;
    if (this.fatal) {
      this.state = 'failed';
      this.rejectReadyWaiters(this.fatal);
      return;
    }
    if (!wasReady && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.state = 'failed';
      this.rejectReadyWaiters(new DomainError('ENGINE_FAILED', `The whisper worker cannot start: ${this.lastError}`));
      return;
    }
    if (livedMs >= STABLE_AFTER_MS) this.backoffMs = this.options.initialBackoffMs ?? 250;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 10_000);
    this.state = 'restarting';
    this.restarts++;
    this.restartTimer = setTimeout(() => this.spawnWorker(), delay);
  }

  private whenReady(signal?: AbortSignal): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.state === 'failed') {
      return Promise.reject(this.fatal ?? new DomainError('ENGINE_FAILED', `The whisper worker cannot start: ${this.lastError}`));
    }
    if (this.state === 'stopped' || this.state === 'idle') {
      return Promise.reject(new DomainError('ENGINE_FAILED', 'The local engine is not running.'));
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.readyWaiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private rejectReadyWaiters(error: unknown): void {
    this.readyWaiters.splice(0).forEach((w) => w.reject(error));
  }

  private send(op: WorkerOp): void {
    const child = this.child;
    if (child && child.stdin.writable) child.stdin.write(`${JSON.stringify(op)}\n`);
  }
}
