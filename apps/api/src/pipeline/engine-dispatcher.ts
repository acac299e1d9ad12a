import { DomainError } from '../common/domain-error';

interface Waiter {
  /** Job work: served after every waiting request, and not counted against the queue size. */
  readonly background: boolean;
  readonly start: () => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/**
 * Bounds engine work: `concurrency` tasks run, up to `queueSize` requests wait, the rest are refused at
 * once with ENGINE_BUSY and a Retry-After estimated from recent task durations. Background work (job
 * windows) always queues, behind any waiting request, so a running job delays a sync request by at most
 * the window in progress.
 */
export class EngineDispatcher {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private averageTaskSeconds = 10;

  constructor(
    readonly concurrency: number,
    readonly queueSize: number,
  ) {}

  get runningCount(): number {
    return this.running;
  }

  get queuedCount(): number {
    return this.waiting.length;
  }

  /**
   * `background`: job work. It queues even when the queue is full (the worker pool already bounds it;
   * refusing it would only turn into a retry), and yields to waiting requests.
   */
  async run<T>(task: () => Promise<T>, signal: AbortSignal, options: { background?: boolean } = {}): Promise<T> {
    if (signal.aborted) throw signal.reason;
    // A waiter is handed its slot by release(), so no newcomer can take it in between.
    if (this.running < this.concurrency) this.running += 1;
    else await this.wait(signal, options.background ?? false);
    const startedAt = performance.now();
    try {
      return await task();
    } finally {
      this.learn((performance.now() - startedAt) / 1000);
      this.release();
    }
  }

  /**
   * The refusal a new request would meet right now (every slot running and the queue full), or null. Lets a route
   * refuse before it reads a whole upload and decodes it only to be turned away.
   */
  refusalNow(): DomainError | null {
    if (this.running < this.concurrency) return null;
    if (this.waiting.filter((waiter) => !waiter.background).length < this.queueSize) return null;
    return new DomainError(
      'ENGINE_BUSY',
      `The engine is busy (${this.running} running, ${this.waiting.length} waiting); retry later.`,
      {},
      this.retryAfterSeconds(),
    );
  }

  private wait(signal: AbortSignal, background: boolean): Promise<void> {
    const refusal = background ? null : this.refusalNow();
    if (refusal) throw refusal;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        background,
        signal,
        start: resolve,
        onAbort: () => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const request = this.waiting.findIndex((waiter) => !waiter.background);
    const [next] = this.waiting.splice(request >= 0 ? request : 0, 1);
    if (!next) {
      this.running -= 1;
      return;
    }
    next.signal.removeEventListener('abort', next.onAbort);
    next.start();
  }

  private learn(seconds: number): void {
    this.averageTaskSeconds = this.averageTaskSeconds * 0.8 + seconds * 0.2;
  }

  /** Time until a place is likely to free up in the queue. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.averageTaskSeconds * (this.waiting.length + 1)) / this.concurrency));
  }
}
