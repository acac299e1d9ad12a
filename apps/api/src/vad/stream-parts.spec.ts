import { PARALLEL_STREAMS as STREAM_PARTS, streamParts } from './stream-parts';

describe('streamParts', () => {
  it('covers every frame exactly once, each part after a warm-up of its own (none for the first)', () => {
    const frames = 19_074; // 610 s
    const parts = streamParts(frames, STREAM_PARTS);
    expect(parts).toHaveLength(STREAM_PARTS.maxStreams);
    expect(parts[0]).toEqual({ from: 0, first: 0, end: parts[1]!.first });
    parts.forEach((part, i) => {
      if (i > 0) expect(part.from).toBe(part.first - STREAM_PARTS.warmUpFrames);
      expect(part.end).toBe(i + 1 < parts.length ? parts[i + 1]!.first : frames);
    });
  });

  it('uses fewer streams when parts would be shorter than the minimum, and one for short audio', () => {
    expect(streamParts(STREAM_PARTS.minPartFrames * 3 + 10, STREAM_PARTS)).toHaveLength(3);
    expect(streamParts(100, STREAM_PARTS)).toEqual([{ from: 0, first: 0, end: 100 }]);
    expect(streamParts(0, STREAM_PARTS)).toEqual([]);
  });
});
