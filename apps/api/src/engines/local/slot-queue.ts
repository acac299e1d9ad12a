/**
 * A counting semaphore whose waiters can give up: `acquire` waits for one of `size` slots in FIFO order and
 * rejects with the signal's reason if the signal aborts first (without taking a slot).
 */
export class SlotQueue {
  private busy = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly size: number) {}

  acquire(signal?: AbortSignal): Promise<void> {
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(); // handed over by release(): the busy count stays as it is
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.busy--;
  }
}
