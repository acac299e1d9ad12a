import { DomainError } from '../common/domain-error';
import { EngineDispatcher } from './engine-dispatcher';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('EngineDispatcher', () => {
  it('runs at most `concurrency` tasks and starts waiters in order', async () => {
    const dispatcher = new EngineDispatcher(1, 5);
    const order: string[] = [];
    const first = deferred<void>();
    const signal = new AbortController().signal;
    const a = dispatcher.run(async () => { order.push('a:start'); await first.promise; order.push('a:end'); }, signal);
    const b = dispatcher.run(async () => { order.push('b'); }, signal);
    const c = dispatcher.run(async () => { order.push('c'); }, signal);
    await Promise.resolve();
    expect(dispatcher.runningCount).toBe(1);
    expect(dispatcher.queuedCount).toBe(2);
    first.resolve();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a:start', 'a:end', 'b', 'c']);
    expect(dispatcher.runningCount).toBe(0);
  });

  it('refuses with ENGINE_BUSY and a Retry-After when the queue is full', async () => {
    const dispatcher = new EngineDispatcher(1, 1);
    const gate = deferred<void>();
    const signal = new AbortController().signal;
    const running = dispatcher.run(() => gate.promise, signal);
    const waiting = dispatcher.run(async () => 'ok', signal);
    const refused = dispatcher.run(async () => 'never', signal);
    await expect(refused).rejects.toMatchObject({ code: 'ENGINE_BUSY' });
    await refused.catch((error: DomainError) => expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1));
    gate.resolve();
    await running;
    await expect(waiting).resolves.toBe('ok');
  });

  it('tells a route ahead of time whether a new request would be refused (refusalNow)', async () => {
    const dispatcher = new EngineDispatcher(1, 1);
    const gate = deferred<void>();
    const signal = new AbortController().signal;
    expect(dispatcher.refusalNow()).toBeNull();
    const running = dispatcher.run(() => gate.promise, signal);
    expect(dispatcher.refusalNow()).toBeNull(); // one place left in the queue
    const waiting = dispatcher.run(async () => 'ok', signal);
    expect(dispatcher.refusalNow()).toMatchObject({ code: 'ENGINE_BUSY' });
    // Job windows queue behind requests without taking their places.
    const background = dispatcher.run(async () => 'job', signal, { background: true });
    gate.resolve();
    await Promise.all([running, waiting, background]);
    expect(dispatcher.refusalNow()).toBeNull();
  });

  it('runs one task of each model at once with one slot per model, and queues a second task of the same model', async () => {
    const dispatcher = new EngineDispatcher(1, 5);
    const signal = new AbortController().signal;
    const tiny = deferred<void>();
    const base = deferred<void>();
    const started: string[] = [];
    const runningTiny = dispatcher.run(async () => { started.push('tiny'); await tiny.promise; }, signal, { lane: 'tiny' });
    const runningBase = dispatcher.run(async () => { started.push('base'); await base.promise; }, signal, { lane: 'base' });
    const secondTiny = dispatcher.run(async () => { started.push('tiny 2'); }, signal, { lane: 'tiny' });
    await Promise.resolve();
    // base started although tiny's task is still running; tiny's second task waits for tiny's slot only.
    expect(started).toEqual(['tiny', 'base']);
    expect(dispatcher.runningCount).toBe(2);
    expect(dispatcher.queuedCount).toBe(1);
    expect(dispatcher.laneBusy('tiny')).toBe(true);
    tiny.resolve();
    await Promise.all([runningTiny, secondTiny]);
    expect(started).toEqual(['tiny', 'base', 'tiny 2']);
    expect(dispatcher.laneBusy('base')).toBe(true);
    base.resolve();
    await runningBase;
    expect(dispatcher.runningCount).toBe(0);
  });

  it('refuses a request of a model not yet known only when every used lane is full and the queue too', async () => {
    const dispatcher = new EngineDispatcher(1, 0);
    const tiny = deferred<void>();
    const base = deferred<void>();
    const signal = new AbortController().signal;
    expect(dispatcher.refusalForAnyModelNow()).toBeNull();
    const runningTiny = dispatcher.run(() => tiny.promise, signal, { lane: 'tiny' });
    expect(dispatcher.refusalForAnyModelNow()).toMatchObject({ code: 'ENGINE_BUSY' });
    // A lane with a free slot: the request may be for it, so only the dispatcher can refuse it once the model is known.
    tiny.resolve();
    await runningTiny;
    const runningBase = dispatcher.run(() => base.promise, signal, { lane: 'base' });
    expect(dispatcher.refusalForAnyModelNow()).toBeNull();
    base.resolve();
    await runningBase;
  });

  it('drops an aborted waiter from the queue with the abort reason', async () => {
    const dispatcher = new EngineDispatcher(1, 5);
    const gate = deferred<void>();
    const running = dispatcher.run(() => gate.promise, new AbortController().signal);
    const controller = new AbortController();
    let ran = false;
    const waiting = dispatcher.run(async () => { ran = true; }, controller.signal);
    const reason = new DomainError('CANCELLED');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(dispatcher.queuedCount).toBe(0);
    gate.resolve();
    await running;
    expect(ran).toBe(false);
  });

  it('keeps the slot count right when a task fails', async () => {
    const dispatcher = new EngineDispatcher(2, 0);
    const signal = new AbortController().signal;
    await expect(dispatcher.run(async () => { throw new Error('boom'); }, signal)).rejects.toThrow('boom');
    expect(dispatcher.runningCount).toBe(0);
    await expect(dispatcher.run(async () => 1, signal)).resolves.toBe(1);
  });

  it('queues job work however full the queue is, and serves waiting requests before it', async () => {
    const dispatcher = new EngineDispatcher(1, 1);
    const signal = new AbortController().signal;
    const gate = deferred<void>();
    const order: string[] = [];
    const first = dispatcher.run(() => gate.promise, signal, { background: true });
    const windows = [1, 2].map((n) => dispatcher.run(async () => { order.push(`window ${n}`); }, signal, { background: true }));
    const request = dispatcher.run(async () => { order.push('request'); }, signal);
    // The queue holds one request; the two windows do not count against it.
    await expect(dispatcher.run(async () => undefined, signal)).rejects.toMatchObject({ code: 'ENGINE_BUSY' });
    expect(dispatcher.queuedCount).toBe(3);
    gate.resolve();
    await Promise.all([first, request, ...windows]);
    expect(order).toEqual(['request', 'window 1', 'window 2']);
  });
});
