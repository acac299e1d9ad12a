import { ReadyGate } from './ready-gate';

describe('ReadyGate', () => {
  it('lets every waiter through on open', async () => {
    const gate = new ReadyGate();
    const waits = [gate.wait(), gate.wait()];
    gate.open();
    await expect(Promise.all(waits)).resolves.toEqual([undefined, undefined]);
  });

  it('rejects every waiter with the error on fail', async () => {
    const gate = new ReadyGate();
    const waits = [gate.wait(), gate.wait()];
    gate.fail(new Error('model cannot load'));
    for (const wait of waits) await expect(wait).rejects.toThrow('model cannot load');
  });

  it('lets one waiter give up through its signal without touching the others', async () => {
    const gate = new ReadyGate();
    const controller = new AbortController();
    const leaving = gate.wait(controller.signal);
    const staying = gate.wait();
    controller.abort(new Error('client went away'));
    await expect(leaving).rejects.toThrow('client went away');
    gate.open();
    await expect(staying).resolves.toBeUndefined();
  });
});
