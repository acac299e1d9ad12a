import type { TranscriptSegment } from '@speech/contracts';
import { packChunks } from './chunk-packer';
import { segmentsToSource } from './chunk-timeline';
import { splitAtJoins } from './join-split';

const S = 16_000;
// 10-13 s and 20-25 s laid with a second of silence between them: chunk 0-3 s, gap 3-4 s, 4-9 s.
const chunk = packChunks([{ start: 10 * S, end: 13 * S }, { start: 20 * S, end: 25 * S }], 30, S, 1).chunks[0]!;

describe('splitAtJoins with silence between the spans', () => {
  it('gives a word that starts in the gap to the region after it, and splits its segment there', () => {
    const segment: TranscriptSegment = {
      id: 0,
      start: 1,
      end: 5,
      text: ' fifth press star',
      words: [
        { word: ' fifth', start: 1, end: 2 },
        { word: ' press', start: 3.6, end: 4.4 },
        { word: ' star', start: 4.4, end: 5 },
      ],
    };
    const mapped = segmentsToSource(chunk, splitAtJoins(chunk, [segment], S), S);
    expect(mapped.map((s) => [s.text, s.start, s.end])).toEqual([
      [' fifth', 11, 12],
      [' press star', 20, 21],
    ]);
    expect(mapped[1]!.words!.map((w) => [w.word, w.start])).toEqual([[' press', 20], [' star', 20.4]]);
  });

  it('keeps the length of a segment whose only word Whisper timed wholly in the gap, in the region after it', () => {
    const segment: TranscriptSegment = { id: 0, start: 3.1, end: 3.6, text: ' key.', words: [{ word: ' key.', start: 3.2, end: 3.6 }] };
    const [mapped] = segmentsToSource(chunk, splitAtJoins(chunk, [segment], S), S);
    expect([mapped!.start, Number(mapped!.end.toFixed(6))]).toEqual([20, 20.4]);
    expect(mapped!.words!.map((w) => [w.start, Number(w.end.toFixed(6))])).toEqual([[20, 20.4]]);
  });

  // Whisper's (tiny.en) own times on the eval set's 10 min recording, in this chunk's layout (A 0-3 s, gap 3-4 s, B 4-9 s).
  it('keeps a last word Whisper timed in the gap with the words before it ("Folder 8." over [0, 3.5], "8." at 3.5)', () => {
    const segment: TranscriptSegment = {
      id: 0,
      start: 0,
      end: 3.5,
      text: ' Folder 8.',
      words: [
        { word: ' Folder', start: 0.3, end: 1.1 },
        { word: ' 8.', start: 3.5, end: 3.5 },
      ],
    };
    const mapped = segmentsToSource(chunk, splitAtJoins(chunk, [segment], S), S);
    expect(mapped.map((s) => s.text)).toEqual([' Folder 8.']);
    expect(mapped[0]!.end).toBeLessThanOrEqual(13);
    expect(mapped[0]!.words!.every((w) => w.start >= 10 && w.end <= 13)).toBe(true);
    expect(mapped[0]!.words![1]!.end).toBeGreaterThan(mapped[0]!.words![1]!.start);
  });

  it('keeps the end of a sentence Whisper spread into the gap in its region ("letters of your party\'s first name")', () => {
    const segment: TranscriptSegment = {
      id: 0,
      start: 0.2,
      end: 4.05,
      text: " letters of your party's first name",
      words: [
        { word: ' letters', start: 0.3, end: 0.8 },
        { word: ' of', start: 0.8, end: 1 },
        { word: ' your', start: 1, end: 1.3 },
        { word: " party's", start: 2.2, end: 2.5 },
        { word: ' first', start: 3.4, end: 3.55 },
        { word: ' name', start: 3.55, end: 4.05 },
      ],
    };
    const mapped = segmentsToSource(chunk, splitAtJoins(chunk, [segment], S), S);
    expect(mapped.map((s) => s.text)).toEqual([" letters of your party's first name"]);
    expect(mapped[0]!.end).toBeLessThanOrEqual(13);
  });

  it('gives a first word Whisper timed across the end of the region before (its middle in the gap) to the region it starts', () => {
    // "Close parentheses." over [2.9, 6]: "Close" 2.95-3.9 (0.05 s in A, the rest in the gap), "parentheses." 3.9-6.
    const segment: TranscriptSegment = {
      id: 0,
      start: 2.9,
      end: 6,
      text: ' Close parentheses.',
      words: [
        { word: ' Close', start: 2.95, end: 3.9 },
        { word: ' parentheses.', start: 3.9, end: 6 },
      ],
    };
    const mapped = segmentsToSource(chunk, splitAtJoins(chunk, [segment], S), S);
    expect(mapped.map((s) => s.text)).toEqual([' Close parentheses.']);
    expect(mapped[0]!.start).toBe(20);
    expect(mapped[0]!.words!.map((w) => w.start)).toEqual([20, expect.any(Number)]);
    // Moved whole, not cut at the region's start: it keeps the length its share of the segment's speech gives it.
    const close = mapped[0]!.words![0]!;
    expect(close.end - close.start).toBeGreaterThan(0.5);
  });
});
