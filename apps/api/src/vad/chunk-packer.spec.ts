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

  describe('with silence between regions (joinGapSeconds)', () => {
    const gapped = (regions: { start: number; end: number }[], max = 30) => packChunks(regions, max, S, 1);

    it('lays a second of zeros between two regions, none before the first region of a chunk', () => {
      const { chunks } = gapped([{ start: 10 * S, end: 13 * S }, { start: 20 * S, end: 25 * S }]);
      expect(chunks[0]!.spans).toEqual([
        { chunkStart: 0, sourceStart: 10 * S, sourceEnd: 13 * S },
        { chunkStart: 4 * S, sourceStart: 20 * S, sourceEnd: 25 * S },
      ]);
      expect(chunks[0]!.samples).toBe(9 * S);
    });

    it('counts the gap against the chunk length, and a new chunk starts without one', () => {
      const { chunks } = gapped([{ start: 0, end: 14 * S }, { start: 20 * S, end: 35 * S }, { start: 40 * S, end: 41 * S }]);
      // 14 + 1 + 15 = 30 fits; one more second of gap would not.
      expect(chunks.map((c) => c.spans.map((s) => s.chunkStart / S))).toEqual([[0, 15], [0]]);
      expect(chunks.every((c) => c.samples <= 30 * S)).toBe(true);
    });

    it('puts no gap between the pieces of one region that was longer than a chunk', () => {
      const { chunks } = gapped([{ start: 0, end: 40 * S }], 30);
      expect(chunks.map((c) => c.samples / S)).toEqual([30, 10]);
    });

    it('leaves the gap silent in the chunk audio', () => {
      const audio = Float32Array.from({ length: 100 }, (_, i) => i + 1);
      const { chunks } = packChunks([{ start: 10, end: 13 }, { start: 50, end: 52 }], 30, 2, 1);
      expect(Array.from(chunkAudio(audio, chunks[0]!))).toEqual([11, 12, 13, 0, 0, 51, 52]);
    });
  });
});
