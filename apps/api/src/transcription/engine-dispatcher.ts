import { DomainError } from '../common/domain-error';

interface Waiter {
  readonly start: () => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/**
 * Bounds engine work: `concurrency` tasks run, up to `queueSize` wait, the rest are refused at
 * once with ENGINE_BUSY and a Retry-After estimated from recent task durations.
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

  async run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) throw signal.reason;
    // A waiter is handed its slot by release(), so no newcomer can take it in between.
    if (this.running < this.concurrency) this.running += 1;
    else await this.wait(signal);
    const startedAt = performance.now();
    try {
      return await task();
    } finally {
      this.learn((performance.now() - startedAt) / 1000);
      this.release();
    }
  }

  private wait(signal: AbortSignal): Promise<void> {
    if (this.waiting.length >= this.queueSize) {
      throw new DomainError(
        'ENGINE_BUSY',
        `The engine is busy (${this.running} running, ${this.waiting.length} waiting); retry later.`,
        {},
        this.retryAfterSeconds(),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
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
    const next = this.waiting.shift();
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
