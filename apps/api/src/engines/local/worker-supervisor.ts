import { isErrorCode } from '@speech/contracts';

import { DomainError } from '../../common/domain-error';
import type { EngineLogger } from './engine-logger';
import { PendingCalls } from './pending-calls';
import { ReadyGate } from './ready-gate';
import { decideAfterExit } from './restart-policy';
import { SlotQueue } from './slot-queue';
import { WorkerProcess, type WorkerExit } from './worker-process';
import type { BenchEncodeOp, BenchEvent, ReadyEvent, ResultEvent, TranscribeOp, WorkerEvent, WorkerOp } from './worker-protocol';

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

const STDERR_LINES_KEPT = 30;

/**
 * Keeps the whisper-worker child process running: starts it, waits for its model, sends it calls through the
 * slot queue (calls are matched to its events by PendingCalls), restarts it with back-off when it dies (failing
 * the calls it was running with ENGINE_FAILED) and kills a worker that does not honour a cancel in time.
 */
export class WorkerSupervisor {
  private worker?: WorkerProcess;
  private readonly calls: PendingCalls;
  private readonly slots: SlotQueue;
  private readonly readyGate = new ReadyGate();
  private readonly initialBackoffMs: number;
  private backoffMs: number;
  private failedStarts = 0;
  private restartTimer?: NodeJS.Timeout;
  private readonly stderrTail: string[] = [];
  private fatal?: DomainError;
  private stopping = false;

  state: SupervisorState = 'idle';
  ready?: ReadyEvent;
  restarts = 0;
  lastError?: string;

  constructor(private readonly options: SupervisorOptions) {
    this.initialBackoffMs = options.initialBackoffMs ?? 250;
    this.backoffMs = this.initialBackoffMs;
    this.slots = new SlotQueue(options.parallel);
    this.calls = new PendingCalls(
      {
        cancelInWorker: (id) => this.send({ op: 'cancel', id }),
        onCancelIgnored: (id, graceMs) => {
          if (!this.worker) return;
          this.options.logger.warn(`whisper worker ignored cancel of ${id} for ${graceMs} ms; killing it`);
          this.worker.kill();
        },
      },
      options.cancelGraceMs ?? 2000,
    );
  }

  /** Spawns the worker and resolves once it has loaded the model. */
  async start(): Promise<ReadyEvent> {
    if (!this.worker) {
      this.stopping = false;
      this.fatal = undefined;
      this.failedStarts = 0;
      this.spawnWorker();
    }
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
    if (!this.worker || !this.ready) {
      release();
      throw new DomainError('ENGINE_FAILED', 'The whisper worker stopped before the request could be sent.');
    }
    const outcome = this.calls.open((id) => this.send({ ...request, id } as WorkerOp), {
      signal,
      onProgress: options.onProgress,
      onSettled: release,
    });
    return outcome as Promise<JobOutcome<T>>;
  }

  /** Asks the worker to finish, then kills it if it does not exit in time. */
  async stop(timeoutMs = 3000): Promise<void> {
    this.stopping = true;
    this.state = 'stopped';
    clearTimeout(this.restartTimer);
    this.readyGate.fail(new DomainError('ENGINE_FAILED', 'The local engine is shutting down.'));
    await this.worker?.shutdown(timeoutMs);
  }

  get stderr(): readonly string[] {
    return this.stderrTail;
  }

  get pid(): number | undefined {
    return this.worker?.pid;
  }

  private spawnWorker(): void {
    this.state = this.restarts > 0 ? 'restarting' : 'starting';
    this.ready = undefined;
    const worker: WorkerProcess = new WorkerProcess(
      { binary: this.options.binary, args: this.options.args, env: this.options.env, readyTimeoutMs: this.options.readyTimeoutMs ?? 120_000 },
      {
        onEvent: (event) => this.onEvent(event),
        onUnexpectedLine: (line) => this.options.logger.warn(`whisper worker wrote an unexpected line: ${line.slice(0, 200)}`),
        onStderr: (line) => {
          this.stderrTail.push(line);
          if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
        },
        onReadyTimeout: (ms) => {
          this.lastError = `worker not ready after ${ms} ms`;
        },
        onExit: (exit) => {
          if (this.worker === worker) this.onExit(exit);
        },
      },
    );
    this.worker = worker;
  }

  private onEvent(event: WorkerEvent): void {
    switch (event.event) {
      case 'ready':
        this.ready = event;
        this.state = 'ready';
        this.failedStarts = 0;
        this.readyGate.open();
        return;
      case 'fatal':
        this.fatal = new DomainError(isErrorCode(event.code) ? event.code : 'MODEL_UNAVAILABLE', event.message);
        this.lastError = event.message;
        return;
      case 'progress':
        this.calls.progress(event.id, event.percent / 100);
        return;
      case 'result':
      case 'bench':
        this.backoffMs = this.initialBackoffMs;
        this.calls.resolve(event.id, event);
        return;
      case 'error': {
        if (event.id === null) {
          this.options.logger.warn(`whisper worker rejected a line: ${event.message}`);
          return;
        }
        const code = isErrorCode(event.code) ? event.code : 'ENGINE_FAILED';
        this.calls.reject(event.id, new DomainError(code, event.message));
        return;
      }
    }
  }

  private onExit({ code, signal, livedMs, spawnError }: WorkerExit): void {
    this.worker = undefined;
    const wasReady = this.ready !== undefined;
    this.ready = undefined;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const tail = this.stderrTail.slice(-5).join(' | ');
    if (!this.stopping) {
      this.lastError = this.fatal?.message ?? spawnError ?? `whisper worker died (${how})${tail ? `: ${tail}` : ''}`;
      this.options.logger.error(this.lastError);
    }
    this.calls.rejectAll(new DomainError('ENGINE_FAILED', `The whisper worker stopped (${how}) while transcribing.`));
    if (this.stopping) return;

    const decision = decideAfterExit(
      { fatal: this.fatal !== undefined, wasReady, livedMs, failedStarts: this.failedStarts, backoffMs: this.backoffMs },
      { initialBackoffMs: this.initialBackoffMs, maxBackoffMs: this.options.maxBackoffMs ?? 10_000 },
    );
    this.failedStarts = decision.failedStarts;
    if (decision.kind === 'give-up') {
      this.state = 'failed';
      this.readyGate.fail(this.cannotStart());
      return;
    }
    this.backoffMs = decision.nextBackoffMs;
    this.state = 'restarting';
    this.restarts++;
    this.restartTimer = setTimeout(() => this.spawnWorker(), decision.delayMs);
  }

  private cannotStart(): DomainError {
    return this.fatal ?? new DomainError('ENGINE_FAILED', `The whisper worker cannot start: ${this.lastError}`);
  }

  private whenReady(signal?: AbortSignal): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.state === 'failed') return Promise.reject(this.cannotStart());
    if (this.state === 'stopped' || this.state === 'idle') {
      return Promise.reject(new DomainError('ENGINE_FAILED', 'The local engine is not running.'));
    }
    return this.readyGate.wait(signal);
  }

  private send(op: WorkerOp): void {
    this.worker?.send(op);
  }
}
