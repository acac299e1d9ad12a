import { DecodeGate } from './decode-gate';

describe('DecodeGate', () => {
  const gate = (concurrency: number, queueSize: number, tempBudgetBytes = 1000) => new DecodeGate({ concurrency, queueSize, tempBudgetBytes });

  it('runs up to `concurrency` decodes, queues up to `queueSize`, refuses the rest with DECODE_BUSY and Retry-After', async () => {
    const decodes = gate(2, 1);
    const first = await decodes.acquire(10);
    await decodes.acquire(10);
    const queued = decodes.acquire(10);
    expect(decodes.queuedCount).toBe(1);
    await expect(decodes.acquire(10)).rejects.toMatchObject({ code: 'DECODE_BUSY', status: 503, retryAfterSeconds: expect.any(Number) });
    first();
    await expect(queued).resolves.toEqual(expect.any(Function));
    expect(decodes.runningCount).toBe(2);
  });

  it('holds a decode back while the temp budget is spoken for, and refuses one that could never fit', async () => {
    const decodes = gate(4, 4, 100);
    const big = await decodes.acquire(80);
    let admitted = false;
    const waiting = decodes.acquire(30).then((release) => {
      admitted = true;
      return release;
    });
    await Promise.resolve();
    expect(admitted).toBe(false);
    big();
    (await waiting)();
    await expect(decodes.acquire(101)).rejects.toMatchObject({ code: 'INSUFFICIENT_STORAGE', message: expect.stringContaining('DECODE_TEMP_BUDGET_BYTES') });
  });

  it('lets job decodes (background) wait beyond the queue size', async () => {
    const decodes = gate(1, 0);
    const running = await decodes.acquire(1);
    const job = decodes.acquire(1, { background: true });
    await expect(decodes.acquire(1)).rejects.toMatchObject({ code: 'DECODE_BUSY' });
    running();
    await expect(job).resolves.toEqual(expect.any(Function));
  });

  it('drops a queued decode whose request is aborted, and a double release frees one slot only', async () => {
    const decodes = gate(1, 2);
    const running = await decodes.acquire(1);
    const controller = new AbortController();
    const abandoned = decodes.acquire(1, { signal: controller.signal });
    const reason = new Error('client left');
    controller.abort(reason);
    await expect(abandoned).rejects.toBe(reason);
    expect(decodes.queuedCount).toBe(0);
    running();
    running();
    expect(decodes.runningCount).toBe(0);
  });

  it('tryAcquire takes a free slot at once, and never one while decodes wait or none is free (it never queues)', async () => {
    const decodes = gate(2, 4);
    const now = decodes.tryAcquire(10);
    expect(now).toEqual(expect.any(Function));
    await decodes.acquire(10);
    expect(decodes.tryAcquire(10)).toBeUndefined();
    const queued = decodes.acquire(10);
    now!();
    await queued; // the waiter got the freed slot, not a later tryAcquire
    expect(decodes.tryAcquire(10)).toBeUndefined();
    expect(decodes.queuedCount).toBe(0);
    expect(gate(1, 1, 100).tryAcquire(101)).toBeUndefined();
  });
});
