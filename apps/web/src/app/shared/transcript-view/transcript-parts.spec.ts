import type { TranscriptionResult } from '@speech/contracts';
import { activeSegmentAt, activeWordAt, countHits, segmentParts, viewSegments } from './transcript-parts';

const result: TranscriptionResult = {
  text: 'one two three',
  language: 'en',
  duration: 6,
  segments: [
    { id: 0, start: 0, end: 2, text: ' one two' },
    { id: 1, start: 2, end: 2, text: ' ' },
    { id: 2, start: 3, end: 6, text: ' three' },
  ],
  words: [
    { word: 'one', start: 0, end: 1 },
    { word: 'two', start: 1, end: 2 },
    { word: 'three', start: 3, end: 6 },
  ],
};

describe('transcript parts', () => {
  it('gives each segment its words from the flat list when segments carry none', () => {
    expect(viewSegments(result).map((s) => s.words.map((w) => w.word))).toEqual([['one', 'two'], [], ['three']]);
  });

  it('finds the playing segment and word; zero-length segments never play', () => {
    const segments = viewSegments(result);
    expect(activeSegmentAt(segments, 1.5)?.id).toBe(0);
    expect(activeSegmentAt(segments, 2)).toBeUndefined();
    expect(activeSegmentAt(segments, 3)?.id).toBe(2);
    expect(activeWordAt(segments[0], 1.5)).toBe(1);
    expect(activeWordAt(undefined, 1)).toBeUndefined();
  });

  it('marks search hits case-insensitively inside words and plain text', () => {
    const [first] = viewSegments(result);
    expect(segmentParts(first, 'TW')).toEqual([
      { text: 'one', mark: false, word: 0 },
      { text: ' ', mark: false },
      { text: 'tw', mark: true, word: 1 },
      { text: 'o', mark: false, word: 1 },
    ]);
    expect(segmentParts({ ...first, words: [] }, 'o')).toEqual([
      { text: 'o', mark: true },
      { text: 'ne tw', mark: false },
      { text: 'o', mark: true },
    ]);
    expect(countHits('Oh no, NO', 'no')).toBe(2);
    expect(countHits('anything', '  ')).toBe(0);
  });
});
