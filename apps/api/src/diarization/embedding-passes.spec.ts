import { MAX_PASS_SECONDS, planEmbeddingPasses } from './embedding-passes';
import { planEmbeddingWindows, WINDOW_SECONDS } from './embedding-windows';

describe('planEmbeddingPasses', () => {
  it('gives each region that fits in one pass a single pass over the whole region', () => {
    const regions = [{ start: 1, end: 4 }, { start: 6, end: 6.5 }, { start: 8, end: 8.2 }];
    const windows = planEmbeddingWindows(regions);
    const passes = planEmbeddingPasses(regions, windows);
    expect(passes.map(({ start, end }) => [start, end])).toEqual([[1, 4], [6, 6.5]]);
    expect(passes.flatMap((p) => p.windows)).toEqual(windows.map((_, i) => i));
  });

  it('cuts a long monologue into passes that hold whole windows, each window in exactly one pass', () => {
    const regions = [{ start: 0, end: 75 }];
    const windows = planEmbeddingWindows(regions);
    const passes = planEmbeddingPasses(regions, windows);
    expect(passes.length).toBe(3);
    expect(passes.flatMap((p) => p.windows)).toEqual(windows.map((_, i) => i));
    for (const pass of passes) {
      expect(pass.end - pass.start).toBeLessThanOrEqual(MAX_PASS_SECONDS + 1e-9);
      for (const index of pass.windows) {
        expect(windows[index].start).toBeGreaterThanOrEqual(pass.start - 1e-9);
        expect(windows[index].end).toBeLessThanOrEqual(pass.end + 1e-9);
      }
    }
    // The next pass starts at the first window the previous one could not hold whole, so the speech around a pass
    // boundary is seen by both.
    expect(passes[1].start).toBeLessThan(passes[0].end);
    expect(passes[0].end - passes[1].start).toBeLessThan(WINDOW_SECONDS);
    expect(passes[2].end).toBe(75);
  });
});
