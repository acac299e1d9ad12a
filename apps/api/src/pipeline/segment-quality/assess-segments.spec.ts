import type { TranscriptionResult, TranscriptSegment } from '@speech/contracts';
import { assessSegments, speechShare } from './assess-segments';
import { dropFlaggedSegments } from './hallucination-filter';

const thresholds = { logprobThreshold: -1, compressionRatioThreshold: 2.4, minSpeechOverlap: 0.5 };
const segment = (id: number, start: number, end: number, text: string, extra: Partial<TranscriptSegment> = {}): TranscriptSegment => ({
  id, start, end, text, avg_logprob: -0.3, no_speech_prob: 0.01, ...extra,
});
const result = (segments: TranscriptSegment[]): TranscriptionResult => ({
  text: segments.map((s) => s.text).join('').trim(), language: 'en', duration: 30, segments,
  words: segments.flatMap((s) => s.words ?? []),
});

describe('assessSegments', () => {
  it('gives every segment its compression ratio and no flags when nothing is wrong', () => {
    const out = assessSegments(result([segment(0, 0, 3, ' Ask not what your country can do for you.')]), { thresholds });
    expect(out.segments[0].compression_ratio).toBeGreaterThan(0);
    expect(out.segments[0].flags).toBeUndefined();
  });

  it('flags low confidence, repetition and known hallucinations by their own numbers', () => {
    const looping = ' the the the the the the the the the the the the the the the the the the the the the the the the';
    const out = assessSegments(
      result([segment(0, 0, 2, ' Mumble.', { avg_logprob: -1.4 }), segment(1, 2, 9, looping), segment(2, 9, 10, ' Thanks for watching!')]),
      { thresholds },
    );
    expect(out.segments.map((s) => s.flags)).toEqual([['low_confidence'], ['repetition'], ['known_hallucination']]);
    expect(out.segments[1].compression_ratio).toBeGreaterThan(2.4);
  });

  it('flags segments that lie mostly outside the speech regions, only when regions are given', () => {
    const segments = [segment(0, 0, 4, ' Hello there.'), segment(1, 10, 14, ' Something else.')];
    const regions = [{ start: 0.2, end: 4.5 }, { start: 13.5, end: 20 }];
    expect(assessSegments(result(segments), { thresholds, speechRegions: regions }).segments.map((s) => s.flags)).toEqual([
      undefined,
      ['outside_speech'],
    ]);
    expect(assessSegments(result(segments), { thresholds }).segments.every((s) => s.flags === undefined)).toBe(true);
  });

  it('replaces flags an earlier pass set, so assessing twice gives the same answer', () => {
    const once = assessSegments(result([segment(0, 0, 1, ' Thank you.')]), { thresholds });
    expect(assessSegments(once, { thresholds })).toEqual(once);
  });
});

describe('speechShare', () => {
  it('measures overlap across several regions and treats a zero-length segment as its instant', () => {
    expect(speechShare({ start: 0, end: 10 }, [{ start: 0, end: 2 }, { start: 5, end: 8 }])).toBeCloseTo(0.5);
    expect(speechShare({ start: 3, end: 3 }, [{ start: 2, end: 4 }])).toBe(1);
    expect(speechShare({ start: 5, end: 5 }, [{ start: 2, end: 4 }])).toBe(0);
  });
});

describe('dropFlaggedSegments', () => {
  it('drops hallucinated, looping and outside-speech segments, keeps low-confidence ones, and rebuilds text, ids and words', () => {
    const w = (word: string, start: number) => ({ word, start, end: start + 0.5 });
    const flagged = result([
      segment(0, 0, 2, ' Real words.', { words: [w('Real', 0), w('words.', 0.5)] }),
      segment(1, 2, 3, ' Thank you.', { flags: ['known_hallucination'], words: [w('Thank', 2), w('you.', 2.5)] }),
      segment(2, 3, 5, ' Quiet speech.', { flags: ['low_confidence'], words: [w('Quiet', 3), w('speech.', 3.5)] }),
    ]);
    const out = dropFlaggedSegments(flagged);
    expect(out.segments.map((s) => [s.id, s.text])).toEqual([[0, ' Real words.'], [1, ' Quiet speech.']]);
    expect(out.text).toBe('Real words. Quiet speech.');
    expect(out.words?.map((x) => x.word)).toEqual(['Real', 'words.', 'Quiet', 'speech.']);
  });

  it('returns the same result when nothing is flagged', () => {
    const clean = result([segment(0, 0, 1, ' Fine.')]);
    expect(dropFlaggedSegments(clean)).toBe(clean);
  });
});
