import type { BenchEvent, ResultEvent } from './worker-protocol';

/** The event that ends a call in the worker. */
export type CallOutcome = ResultEvent | BenchEvent;

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Runs once the worker has sent the call's final event (or died), never earlier: it frees the caller's slot. */
  onSettled(): void;
}

export interface CancelHooks {
  /** Tells the worker to stop the call. */
  cancelInWorker(id: string): void;
  /** The worker still owes the call's final event `graceMs` after the cancel: it is stuck and must be killed. */
  onCancelIgnored(id: string, graceMs: number): void;
}

interface Call {
  resolve(event: CallOutcome): void;
  reject(error: unknown): void;
  /** Answers the caller (abort) while the worker still owes the call's final event. */
  abandon(reason: unknown): void;
  onProgress?: (fraction: number) => void;
  /** Set once the caller has been answered (on abort) while the worker still owes the call's final event. */
  abandoned: boolean;
  killTimer?: NodeJS.Timeout;
}

/**
 * The calls the worker is running, by id: routes its progress and final events to the right caller, answers an
 * aborted caller at once and gives the worker `cancelGraceMs` to confirm the cancel before asking for a kill.
 */
export class PendingCalls {
  private readonly calls = new Map<string, Call>();
  private nextId = 1;

  constructor(
    private readonly hooks: CancelHooks,
    private readonly cancelGraceMs: number,
  ) {}

  /** Registers a call under a fresh id, hands the id to `send`, and settles with the worker's answer. */
  open(send: (id: string) => void, options: CallOptions): Promise<CallOutcome> {
    const id = `j${this.nextId++}`;
    const { signal } = options;
    return new Promise<CallOutcome>((resolve, reject) => {
      const onAbort = () => this.cancel(id, signal?.reason);
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        options.onSettled();
      };
      const call: Call = {
        onProgress: options.onProgress,
        abandoned: false,
        resolve: (event) => {
          done();
          if (!call.abandoned) resolve(event);
        },
        reject: (error) => {
          done();
          if (!call.abandoned) reject(error);
        },
        abandon: (reason) => {
          call.abandoned = true;
          reject(reason);
        },
      };
      this.calls.set(id, call);
      signal?.addEventListener('abort', onAbort, { once: true });
      send(id);
    });
  }

  progress(id: string, fraction: number): void {
    const call = this.calls.get(id);
    if (call && !call.abandoned) call.onProgress?.(Math.min(1, Math.max(0, fraction)));
  }

  resolve(id: string, event: CallOutcome): void {
    this.take(id)?.resolve(event);
  }

  reject(id: string, error: unknown): void {
    this.take(id)?.reject(error);
  }

  /** The worker died: every call it was running fails with `error`. */
  rejectAll(error: unknown): void {
    for (const id of [...this.calls.keys()]) this.reject(id, error);
  }

  // The caller is answered at once; the slot stays taken until the worker confirms the cancel, so a worker that
  // is still unwinding never receives more calls than it has slots.
  private cancel(id: string, reason: unknown): void {
    const call = this.calls.get(id);
    if (!call || call.abandoned) return;
    call.abandon(reason);
    this.hooks.cancelInWorker(id);
    call.killTimer = setTimeout(() => {
      if (this.calls.has(id)) this.hooks.onCancelIgnored(id, this.cancelGraceMs);
    }, this.cancelGraceMs);
    call.killTimer.unref();
  }

  private take(id: string): Call | undefined {
    const call = this.calls.get(id);
    if (!call) return undefined;
    clearTimeout(call.killTimer);
    this.calls.delete(id);
    return call;
  }
}
