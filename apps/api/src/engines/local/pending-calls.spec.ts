import { PendingCalls } from './pending-calls';
import type { ResultEvent } from './worker-protocol';

function result(id: string): ResultEvent {
  return { event: 'result', id, language: 'en', segments: [], timings: { total_ms: 1 } };
}

/** Call correlation alone, with the worker played by the test: ids, progress, final events, cancels. */
describe('PendingCalls', () => {
  const make = (graceMs = 20) => {
    const cancelled: string[] = [];
    const ignored: string[] = [];
    const calls = new PendingCalls({ cancelInWorker: (id) => cancelled.push(id), onCancelIgnored: (id) => ignored.push(id) }, graceMs);
    return { calls, cancelled, ignored };
  };

  it('gives each call its own id and settles it with the event for that id only', async () => {
    const { calls } = make();
    const sent: string[] = [];
    const settled: string[] = [];
    const first = calls.open((id) => sent.push(id), { onSettled: () => settled.push('first') });
    const second = calls.open((id) => sent.push(id), { onSettled: () => settled.push('second') });
    expect(sent).toEqual(['j1', 'j2']);
    calls.resolve('j2', result('j2'));
    calls.reject('j1', new Error('bad audio'));
    calls.resolve('j9', result('j9')); // an id nobody waits for is ignored
    await expect(second).resolves.toMatchObject({ id: 'j2' });
    await expect(first).rejects.toThrow('bad audio');
    expect(settled).toEqual(['second', 'first']);
  });

  it('passes progress on, clamped to 0..1', async () => {
    const { calls } = make();
    const seen: number[] = [];
    const call = calls.open(() => undefined, { onProgress: (f) => seen.push(f), onSettled: () => undefined });
    calls.progress('j1', 0.4);
    calls.progress('j1', 1.7);
    calls.progress('j1', -1);
    calls.resolve('j1', result('j1'));
    await call;
    expect(seen).toEqual([0.4, 1, 0]);
  });

  it('answers an aborted caller at once but frees its slot only when the worker confirms', async () => {
    const { calls, cancelled, ignored } = make(10_000);
    const controller = new AbortController();
    let settled = false;
    const call = calls.open(() => undefined, { signal: controller.signal, onSettled: () => (settled = true) });
    controller.abort(new Error('client went away'));
    await expect(call).rejects.toThrow('client went away');
    expect(cancelled).toEqual(['j1']);
    expect(settled).toBe(false);
    calls.progress('j1', 0.5); // no progress for an abandoned call
    calls.reject('j1', new Error('cancelled in the worker'));
    expect(settled).toBe(true);
    expect(ignored).toEqual([]);
  });

  it('asks for a kill when the worker does not confirm a cancel within the grace period', async () => {
    const { calls, ignored } = make(20);
    const controller = new AbortController();
    const call = calls.open(() => undefined, { signal: controller.signal, onSettled: () => undefined });
    controller.abort(new Error('timeout'));
    await expect(call).rejects.toThrow('timeout');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => ignored.length > 0 && (clearInterval(poll), resolve()), 5);
    });
    expect(ignored).toEqual(['j1']);
  });

  it('fails every open call when the worker dies', async () => {
    const { calls } = make();
    const open = [1, 2, 3].map(() => calls.open(() => undefined, { onSettled: () => undefined }));
    calls.rejectAll(new Error('worker died'));
    for (const call of open) await expect(call).rejects.toThrow('worker died');
  });
});
