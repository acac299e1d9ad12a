import { MIN_WINDOW_SECONDS, planEmbeddingWindows, STEP_SECONDS, WINDOW_SECONDS } from './embedding-windows';

describe('planEmbeddingWindows', () => {
  it('steps 1.6 s windows through a long region and pulls the last one back to its end', () => {
    const windows = planEmbeddingWindows([{ start: 10, end: 13 }]);
    expect(windows.map((w) => w.start)).toEqual([10, 10 + STEP_SECONDS, 10.8, 11.2, 11.4].map((s) => expect.closeTo(s, 9)));
    expect(windows.every((w) => Math.abs(w.end - w.start - WINDOW_SECONDS) < 1e-9 && w.end <= 13 + 1e-9)).toBe(true);
  });

  it('gives a short region one window of its own length and skips slivers', () => {
    const windows = planEmbeddingWindows([{ start: 1, end: 2 }, { start: 3, end: 3 + MIN_WINDOW_SECONDS / 2 }, { start: 5, end: 6.6 }]);
    expect(windows).toEqual([{ start: 1, end: 2, region: 0 }, { start: 5, end: 6.6, region: 2 }]);
  });
});
