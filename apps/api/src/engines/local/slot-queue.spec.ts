import { SlotQueue } from './slot-queue';

describe('SlotQueue', () => {
  it('grants up to its size at once and the rest in arrival order as slots are released', async () => {
    const q = new SlotQueue(2);
    const order: number[] = [];
    await q.acquire();
    await q.acquire();
    const third = q.acquire().then(() => order.push(3));
    const fourth = q.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(order).toEqual([]);
    q.release();
    await third;
    expect(order).toEqual([3]);
    q.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('lets a waiter give up with the signal reason without consuming a slot', async () => {
    const q = new SlotQueue(1);
    await q.acquire();
    const controller = new AbortController();
    const waiting = q.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    q.release();
    // The slot went back to the pool, not to the waiter that left: the next acquire is immediate.
    await expect(q.acquire()).resolves.toBeUndefined();
  });
});
