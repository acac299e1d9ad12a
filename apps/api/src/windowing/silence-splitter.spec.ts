import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planWindows } from './silence-splitter';

const RATE = 16_000;

/** Loud noise everywhere except the given quiet spans (seconds), as raw f32le. */
function syntheticAudio(seconds: number, quiet: Array<[number, number]>): Buffer {
  const samples = new Float32Array(seconds * RATE);
  let seed = 7;
  for (let i = 0; i < samples.length; i += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const t = i / RATE;
    const silent = quiet.some(([from, to]) => t >= from && t < to);
    samples[i] = silent ? 0.0005 * ((seed / 0x7fffffff) * 2 - 1) : 0.3 * ((seed / 0x7fffffff) * 2 - 1);
  }
  return Buffer.from(samples.buffer);
}

describe('planWindows', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'splitter-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('cuts inside the pause nearest each nominal boundary, covering every sample exactly once', async () => {
    // 95 s in windows of 30 s: four windows, nominal cuts at 23.75, 47.5 and 71.25 s.
    const pauses: Array<[number, number]> = [[25.0, 25.6], [49.8, 50.3], [69.0, 69.5], [10, 11]];
    const path = file('speech.f32', syntheticAudio(95, pauses));
    const plan = await planWindows(path, { windowSeconds: 30, sampleRate: RATE, searchSeconds: 3 });
    expect(plan.windows).toHaveLength(4);
    const cuts = plan.windows.slice(1).map((window) => window.startSeconds);
    expect(cuts[0]).toBeGreaterThanOrEqual(25.0);
    expect(cuts[0]).toBeLessThanOrEqual(25.6);
    expect(cuts[1]).toBeGreaterThanOrEqual(49.8);
    expect(cuts[1]).toBeLessThanOrEqual(50.3);
    expect(cuts[2]).toBeGreaterThanOrEqual(69.0);
    expect(cuts[2]).toBeLessThanOrEqual(69.5);
    expect(plan.windows[0]?.startSample).toBe(0);
    for (let i = 1; i < plan.windows.length; i += 1) {
      expect(plan.windows[i]?.startSample).toBe(plan.windows[i - 1]?.endSample);
    }
    expect(plan.windows.at(-1)?.endSample).toBe(95 * RATE);
    const total = plan.windows.reduce((sum, window) => sum + window.durationSeconds, 0);
    expect(total).toBeCloseTo(95, 6);
  });

  it('does not add a window for a hair over a multiple of the window length', async () => {
    const plan = await planWindows(file('hair.f32', syntheticAudio(60, [])), { windowSeconds: 30, sampleRate: RATE });
    expect(plan.windows).toHaveLength(2);
    const over = await planWindows(file('over.f32', Buffer.concat([syntheticAudio(60, []), Buffer.alloc(4 * 160)])), { windowSeconds: 30, sampleRate: RATE });
    expect(over.windows).toHaveLength(2);
    expect(over.windows.at(-1)?.endSample).toBe(60 * RATE + 160);
  });

  it.each([1, 2])('never makes an empty window with %i s windows, whose cut searches overlap', async (windowSeconds) => {
    // Quiet spans placed so that neighbouring ±1 s searches find the same quietest spot.
    const quiet: Array<[number, number]> = [[1.9, 2.3], [4.9, 5.2], [7.0, 7.1]];
    const path = file(`short-${windowSeconds}.f32`, syntheticAudio(9, quiet));
    const plan = await planWindows(path, { windowSeconds, sampleRate: RATE });
    expect(plan.windows.filter((w) => w.endSample <= w.startSample)).toEqual([]);
    expect(plan.windows[0]?.startSample).toBe(0);
    expect(plan.windows.at(-1)?.endSample).toBe(9 * RATE);
    plan.windows.slice(1).forEach((w, i) => expect(w.startSample).toBe(plan.windows[i]?.endSample));
  });

  it('merges two windows when two boundaries pick the same VAD pause', async () => {
    // 2.02 windows of 20 s → three windows with nominal cuts 13.5 s apart; one long pause within reach of both.
    const seconds = 40.4;
    const path = file('one-pause.f32', syntheticAudio(Math.ceil(seconds), []).subarray(0, Math.round(seconds * RATE) * 4));
    const speechRegions = [{ start: 0, end: 17 * RATE }, { start: 21 * RATE, end: Math.round(seconds * RATE) }];
    const plan = await planWindows(path, { windowSeconds: 20, sampleRate: RATE, speechRegions });
    expect(plan.windows.filter((w) => w.endSample <= w.startSample)).toEqual([]);
    expect(plan.windows.map((w) => w.startSample)).toEqual([...new Set(plan.windows.map((w) => w.startSample))]);
  });

  it('keeps audio no longer than one window whole', async () => {
    const plan = await planWindows(file('short.f32', syntheticAudio(12, [])), { windowSeconds: 30, sampleRate: RATE });
    expect(plan.windows).toEqual([{ index: 0, startSample: 0, endSample: 12 * RATE, startSeconds: 0, durationSeconds: 12 }]);
  });

  it('stays near the nominal boundary when there is no pause to find', async () => {
    const plan = await planWindows(file('noise.f32', syntheticAudio(60, [])), { windowSeconds: 20, sampleRate: RATE, searchSeconds: 2 });
    expect(plan.windows).toHaveLength(3);
    expect(plan.windows[1]?.startSeconds).toBeGreaterThanOrEqual(18);
    expect(plan.windows[1]?.startSeconds).toBeLessThanOrEqual(22);
  });

  it('gives the same fingerprint for the same cuts and another for other cuts', async () => {
    const path = file('fp.f32', syntheticAudio(70, [[33, 34]]));
    const a = await planWindows(path, { windowSeconds: 30, sampleRate: RATE });
    const b = await planWindows(path, { windowSeconds: 30, sampleRate: RATE });
    const c = await planWindows(path, { windowSeconds: 20, sampleRate: RATE });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});
