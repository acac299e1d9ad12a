interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Callers waiting for the worker to be ready: each wait can be given up through its signal (rejecting with the
 * signal's reason); `open` lets every waiter through, `fail` rejects them all.
 */
export class ReadyGate {
  private waiters: Waiter[] = [];

  wait(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  open(): void {
    this.waiters.splice(0).forEach((w) => w.resolve());
  }

  fail(error: unknown): void {
    this.waiters.splice(0).forEach((w) => w.reject(error));
  }
}
