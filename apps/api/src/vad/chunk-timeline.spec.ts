import type { TranscriptSegment } from '@speech/contracts';
import { packChunks, type SpeechChunk } from './chunk-packer';
import { segmentsToSource, toSourceSeconds } from './chunk-timeline';

const S = 16_000;
// Speech at 10-13 s and 20-25 s (a 7 s pause left out), then 61.5-63.25 s: one chunk of 3 + 5 + 1.75 s.
const chunk: SpeechChunk = packChunks(
  [
    { start: 10 * S, end: 13 * S },
    { start: 20 * S, end: 25 * S },
    { start: 61.5 * S, end: 63.25 * S },
  ],
  30,
).chunks[0]!;

describe('toSourceSeconds', () => {
  it.each([
    ['the chunk start', 0, 'start', 10],
    ['inside the first span', 1.25, 'start', 11.25],
    ['a start exactly on a join belongs to the span that begins there', 3, 'start', 20],
    ['an end exactly on a join belongs to the span that ends there', 3, 'end', 13],
    ['inside the second span', 4.5, 'end', 21.5],
    ['the second join, start side', 8, 'start', 61.5],
    ['the second join, end side', 8, 'end', 25],
    ['the chunk end', 9.75, 'end', 63.25],
    ['past the chunk end (engines round up) is clamped', 10.2, 'end', 63.25],
    ['before the chunk start is clamped', -0.1, 'start', 10],
  ] as const)('%s', (_name, seconds, edge, expected) => {
    expect(toSourceSeconds(chunk, seconds, edge)).toBe(expected);
  });

  it('is exact for every sample-aligned time far into a long recording', () => {
    const far = packChunks([{ start: 3 * 3600 * S + 7, end: 3 * 3600 * S + 7 + 20 * S }], 30).chunks[0]!;
    for (let sample = 0; sample <= 20 * S; sample += 4999) {
      expect(toSourceSeconds(far, sample / S, 'start') * S).toBeCloseTo(3 * 3600 * S + 7 + sample, 6);
    }
  });
});

describe('segmentsToSource', () => {
  it('maps segments and words, and a word straddling a join spans the pause it was spoken across', () => {
    const segments: TranscriptSegment[] = [
      {
        id: 0,
        start: 0.5,
        end: 4,
        text: ' one two three',
        words: [
          { word: ' one', start: 0.5, end: 1 },
          { word: ' two', start: 2.9, end: 3.2 },
          { word: ' three', start: 3.2, end: 4 },
        ],
      },
      { id: 1, start: 8, end: 9.9, text: ' four' },
    ];
    const mapped = segmentsToSource(chunk, segments);
    expect(mapped.map((s) => [s.start, s.end])).toEqual([[10.5, 21], [61.5, 63.25]]);
    const words = mapped[0]!.words!.map((w) => [w.word, w.start, Number(w.end.toFixed(6))]);
    expect(words).toEqual([[' one', 10.5, 11], [' two', 12.9, 20.2], [' three', 20.2, 21]]);
    expect(mapped[1]!.text).toBe(' four');
  });

  it('never gives a zero-length item an end before its start at a join', () => {
    const [mapped] = segmentsToSource(chunk, [{ id: 0, start: 3, end: 3, text: '' }]);
    expect(mapped!.end).toBeGreaterThanOrEqual(mapped!.start);
  });
});

describe('a chunk with silence between its spans', () => {
  // 10-13 s and 20-25 s with a second of silence between them: chunk 0-3 s, gap 3-4 s, 4-9 s.
  const gapped = packChunks([{ start: 10 * S, end: 13 * S }, { start: 20 * S, end: 25 * S }], 30, S, 1).chunks[0]!;

  it.each([
    ['a start in the gap belongs to what follows', 3.4, 'start', 20],
    ['an end in the gap belongs to what came before', 3.4, 'end', 13],
    ['a start on the gap\'s first sample (the first span\'s end) is still the next span', 3, 'start', 20],
    ['inside the second span', 4.5, 'start', 20.5],
  ] as const)('%s', (_name, seconds, edge, expected) => {
    expect(toSourceSeconds(gapped, seconds, edge)).toBeCloseTo(expected, 9);
  });

  it('moves a word Whisper started in the gap to the start of the speech after it', () => {
    const [segment] = segmentsToSource(gapped, [{ id: 0, start: 3.5, end: 5, text: ' hello', words: [{ word: ' hello', start: 3.5, end: 5 }] }]);
    expect([segment!.start, segment!.end, segment!.words![0]!.start]).toEqual([20, 21, 20]);
  });
});
