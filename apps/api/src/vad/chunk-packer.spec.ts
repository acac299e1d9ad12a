import { chunkAudio, packChunks } from './chunk-packer';

const S = 16_000; // samples per second

describe('packChunks', () => {
  it.each([
    ['no speech: no chunks', [], []],
    [
      'regions that fit together share a chunk, laid end to end',
      [[1 * S, 5 * S], [10 * S, 20 * S], [25 * S, 35 * S]],
      [[[0, 1 * S, 5 * S], [4 * S, 10 * S, 20 * S], [14 * S, 25 * S, 35 * S]]],
    ],
    [
      'a region that would overflow 30 s starts the next chunk',
      [[0, 20 * S], [21 * S, 32 * S], [40 * S, 45 * S]],
      [[[0, 0, 20 * S]], [[0, 21 * S, 32 * S], [11 * S, 40 * S, 45 * S]]],
    ],
    ['exactly 30 s fills one chunk', [[0, 10 * S], [11 * S, 31 * S]], [[[0, 0, 10 * S], [10 * S, 11 * S, 31 * S]]]],
    [
      'a region longer than 30 s is cut into full pieces',
      [[5 * S, 75 * S]],
      [[[0, 5 * S, 35 * S]], [[0, 35 * S, 65 * S]], [[0, 65 * S, 75 * S]]],
    ],
  ])('%s', (_name, regions, expected) => {
    const packed = packChunks(regions.map(([start, end]) => ({ start: start as number, end: end as number })), 30);
    expect(packed.chunks.map((c) => c.spans.map((s) => [s.chunkStart, s.sourceStart, s.sourceEnd]))).toEqual(expected);
    for (const chunk of packed.chunks) {
      expect(chunk.samples).toBeLessThanOrEqual(30 * S);
      expect(chunk.samples).toBe(chunk.spans.reduce((sum, s) => sum + s.sourceEnd - s.sourceStart, 0));
    }
    expect(packed.speechSamples).toBe(regions.reduce((sum, [a, b]) => sum + (b as number) - (a as number), 0));
  });

  it.each([
    ['overlapping', [{ start: 0, end: 100 }, { start: 50, end: 200 }]],
    ['out of order', [{ start: 500, end: 600 }, { start: 0, end: 100 }]],
    ['empty', [{ start: 10, end: 10 }]],
    ['fractional', [{ start: 0.5, end: 10 }]],
  ])('refuses %s regions', (_name, regions) => {
    expect(() => packChunks(regions, 30)).toThrow(RangeError);
  });

  it('copies each span of the audio into its place in the chunk', () => {
    const audio = Float32Array.from({ length: 100 }, (_, i) => i);
    const { chunks } = packChunks([{ start: 10, end: 13 }, { start: 50, end: 52 }], 30);
    expect(Array.from(chunkAudio(audio, chunks[0]!))).toEqual([10, 11, 12, 50, 51]);
  });
});
