import type { TranscriptionResult, TranscriptSegment } from '@speech/contracts';
import { fitToSpeech, type SpeechSpan } from './fit-to-speech';

// Speech (VAD regions with 0.2 s padding) at 1-3 s, 3.4-5 s (a short 0.4 s pause) and 8-10 s (a 3 s pause before it).
const regions: SpeechSpan[] = [
  { start: 1, end: 3 },
  { start: 3.4, end: 5 },
  { start: 8, end: 10 },
];
const options = { padSeconds: 0.2, splitPauseSeconds: 1 };

const result = (segments: TranscriptSegment[]): TranscriptionResult => ({ text: '', language: 'en', duration: 12, segments });
const word = (text: string, start: number, end: number) => ({ word: ` ${text}`, start, end });
const spans = (fitted: TranscriptionResult) => fitted.segments.map((s) => [s.text.trim(), s.start, s.end]);

describe('fitToSpeech', () => {
  it('moves a segment start in a pause to the next speech (past its padding) and an end in a pause back to the speech before it', () => {
    const fitted = fitToSpeech(result([{ id: 0, start: 0.4, end: 3.2, text: ' one' }, { id: 1, start: 6, end: 10.5, text: ' two' }]), regions, options);
    expect(spans(fitted)).toEqual([['one', 1.2, 3], ['two', 8.2, 10]]);
  });

  it('gives a segment the same start with or without word timestamps (SRT and JSON of one audio agree)', () => {
    const withWords: TranscriptSegment = { id: 0, start: 8, end: 9.5, text: ' press star', words: [word('press', 8, 8.6), word('star', 8.6, 9.5)] };
    const { words: _dropped, ...withoutWords } = withWords;
    const fitted = (segment: TranscriptSegment) => spans(fitToSpeech(result([segment]), regions, options));
    expect(fitted(withoutWords)).toEqual(fitted(withWords));
    expect(fitted(withoutWords)).toEqual([['press star', 8.2, 9.5]]);
    // A later segment of a region keeps its own start.
    expect(fitted({ id: 1, start: 4.1, end: 4.9, text: ' later' })).toEqual([['later', 4.1, 4.9]]);
  });

  it('keeps the first word of a region out of its leading padding, and later words where they are', () => {
    const fitted = fitToSpeech(
      result([{ id: 0, start: 7.1, end: 9.5, text: ' press star', words: [word('press', 7.1, 8.6), word('star', 8.6, 9.5)] }]),
      regions,
      options,
    );
    expect(fitted.segments[0]!.words!.map((w) => [w.word.trim(), w.start, w.end])).toEqual([['press', 8.2, 8.6], ['star', 8.6, 9.5]]);
    expect(spans(fitted)).toEqual([['press star', 8.2, 9.5]]);
  });

  it('splits a segment whose words sit on both sides of a pause of 1 s or more, at the words', () => {
    const segment: TranscriptSegment = {
      id: 0,
      start: 3.5,
      end: 9,
      text: ' menu. Simultaneous call',
      words: [word('menu.', 3.6, 4.8), word('Simultaneous', 4.8, 8.7), word('call', 8.7, 9)],
    };
    const fitted = fitToSpeech(result([segment]), regions, options);
    expect(spans(fitted)).toEqual([['menu.', 3.6, 4.8], ['Simultaneous call', 8.2, 9]]);
    // No segment reaches into the 3 s pause (5-8 s).
    for (const s of fitted.segments) expect(s.end <= 5 || s.start >= 8).toBe(true);
  });

  it('does not split across a pause shorter than 1 s', () => {
    const fitted = fitToSpeech(
      result([{ id: 0, start: 2, end: 4, text: ' a b', words: [word('a', 2, 2.9), word('b', 3.5, 4)] }]),
      regions,
      options,
    );
    expect(spans(fitted)).toEqual([['a b', 2, 4]]);
    expect(fitted.segments[0]!.words![1]!.start).toBe(3.6);
  });

  it('lets a first word moved past the padding keep its length instead of a sliver, up to the next word', () => {
    // Region [3.4, 5.0] (speech from 3.6): Whisper put "eight" at [3.3, 3.62], nearly all before the speech.
    const fitted = fitToSpeech(
      result([{ id: 0, start: 3.3, end: 4.4, text: ' eight nine', words: [word('eight', 3.3, 3.62), word('nine', 3.8, 4.4)] }]),
      regions,
      options,
    );
    const [eight, nine] = fitted.segments[0]!.words!;
    expect([eight!.start, eight!.end]).toEqual([3.6, 3.8]);
    expect([nine!.start, nine!.end]).toEqual([3.8, 4.4]);
  });

  it('moves words that fall wholly in a pause into the speech beside them', () => {
    const fitted = fitToSpeech(
      result([{ id: 0, start: 5.5, end: 7.5, text: ' um', words: [word('um', 5.5, 7.5)] }]),
      regions,
      options,
    );
    const [only] = fitted.segments;
    expect(only!.words![0]!.start).toBe(8.2);
    expect(only!.start).toBeGreaterThanOrEqual(8);
    // It keeps its length (2 s) within the region it moved into (ends at 10), so it is not zero-length.
    expect(only!.words![0]!.end).toBe(10);
    expect(only!.end).toBe(10);
  });

  it('keeps a segment timed wholly in the pause before its speech as long as it was, in that speech', () => {
    // Whisper timed "5." at 6.8-7.3 s, in the 3 s pause before the region at 8-10 s.
    const early: TranscriptSegment = { id: 0, start: 6.8, end: 7.3, text: ' 5.' };
    expect(spans(fitToSpeech(result([early]), regions, options))).toEqual([['5.', 8.2, 8.7]]);
    const withWord = { ...early, words: [word('5.', 6.8, 7.3)] };
    const fitted = fitToSpeech(result([withWord]), regions, options);
    expect(spans(fitted)).toEqual([['5.', 8.2, 8.7]]);
    expect(fitted.segments[0]!.words!.map((w) => [w.start, w.end])).toEqual([[8.2, 8.7]]);
  });

  it('gives a segment Whisper wrote with no duration the rest of its region, up to the next segment', () => {
    const fitted = fitToSpeech(
      result([{ id: 0, start: 8.5, end: 8.5, text: ' first name' }, { id: 1, start: 9.2, end: 9.8, text: ' please' }, { id: 2, start: 3.6, end: 3.6, text: ' 8.' }].sort((a, b) => a.start - b.start)),
      regions,
      options,
    );
    expect(spans(fitted)).toEqual([['8.', 3.6, 5], ['first name', 8.5, 9.2], ['please', 9.2, 9.8]]);
  });

  it('leaves the result as it is without regions', () => {
    const original = result([{ id: 0, start: 0.4, end: 3.2, text: ' one' }]);
    expect(fitToSpeech(original, [], options)).toBe(original);
  });
});
