import { DomainError } from '../common/domain-error';

export interface DecodeGateLimits {
  /** Decodes (ffmpeg processes) this process runs at once. */
  readonly concurrency: number;
  /** Requests that may wait for a decode slot; beyond it: 503 DECODE_BUSY with Retry-After. */
  readonly queueSize: number;
  /** Temp disk all running decodes of this process may fill with decoded audio, in bytes. */
  readonly tempBudgetBytes: number;
}

interface Waiter {
  readonly bytes: number;
  readonly background: boolean;
  readonly admit: () => void;
}

/** Seconds a refused client is told to wait: decodes run at hundreds of times real time, so slots free quickly. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Bounds decoding in one process: at most `concurrency` ffmpeg processes, whose worst-case output together stays
 * within `tempBudgetBytes`. A decode that cannot start waits in a first-come queue of `queueSize`; a request beyond
 * it is refused at once (503 DECODE_BUSY, Retry-After). Job decodes (`background`) always wait: the job worker pool
 * already bounds them, and refusing one would only turn into a retry. A decode that could never fit the budget is
 * refused with INSUFFICIENT_STORAGE instead of waiting forever.
 */
export class DecodeGate {
  private running = 0;
  private reservedBytes = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limits: DecodeGateLimits) {}

  get runningCount(): number {
    return this.running;
  }

  get queuedCount(): number {
    return this.waiting.length;
  }

  /** Waits for a slot and `bytes` of temp budget; resolves with the release function (call it exactly once). */
  async acquire(bytes: number, options: { signal?: AbortSignal; background?: boolean } = {}): Promise<() => void> {
    const { signal, background = false } = options;
    if (signal?.aborted) throw signal.reason;
    if (bytes > this.limits.tempBudgetBytes) {
      throw new DomainError(
        'INSUFFICIENT_STORAGE',
        `Decoding this audio may need up to ${mib(bytes)} MiB of temporary disk, more than this server's decode budget of ${mib(this.limits.tempBudgetBytes)} MiB (DECODE_TEMP_BUDGET_BYTES).`,
      );
    }
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.take(bytes);
      return this.releaser(bytes);
    }
    if (!background && this.waiting.filter((waiter) => !waiter.background).length >= this.limits.queueSize) {
      throw new DomainError(
        'DECODE_BUSY',
        `Every decode slot is busy (${this.running} decoding, ${this.waiting.length} waiting); retry later.`,
        { decoding: this.running, waiting: this.waiting.length },
        RETRY_AFTER_SECONDS,
      );
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(signal?.reason);
        this.admitWaiting(); // a smaller decode behind it may fit now
      };
      const waiter: Waiter = {
        bytes,
        background,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser(bytes);
  }

  /**
   * A slot now or never: the release function when one is free and nobody waits (a decode that starts while its
   * upload arrives must not queue, its client is still sending), else undefined and the caller decodes later
   * through acquire(), in turn.
   */
  tryAcquire(bytes: number): (() => void) | undefined {
    if (this.waiting.length > 0 || !this.fits(bytes)) return undefined;
    this.take(bytes);
    return this.releaser(bytes);
  }

  private fits(bytes: number): boolean {
    return this.running < this.limits.concurrency && this.reservedBytes + bytes <= this.limits.tempBudgetBytes;
  }

  private take(bytes: number): void {
    this.running += 1;
    this.reservedBytes += bytes;
  }

  private releaser(bytes: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.reservedBytes -= bytes;
      this.admitWaiting();
    };
  }

  /** First come, first served: the head of the queue is not overtaken by a smaller decode behind it. */
  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.take(next.bytes);
      next.admit();
    }
  }
}

function mib(bytes: number): number {
  return Math.ceil(bytes / 1048576);
}
