import { toTranscriptionResult, wordsFromTokens } from './result-mapping';
import type { ResultEvent } from './worker-protocol';

const tok = (text: string, t0_ms: number, t1_ms: number, p: number) => ({ text, t0_ms, t1_ms, p });

describe('wordsFromTokens', () => {
  it('starts a word at each token with a leading space and glues the rest on', () => {
    const words = wordsFromTokens(
      [tok(' Hel', 0, 200, 0.5), tok('lo', 200, 400, 0.8), tok(' world', 450, 900, 0.9), tok('.', 900, 950, 1)],
      10,
    );
    expect(words).toEqual([
      { word: 'Hello', start: 0, end: 0.4, probability: 0.4 },
      { word: 'world.', start: 0.45, end: 0.95, probability: 0.9 },
    ]);
  });

  it('treats a first token without a space as a word of its own', () => {
    expect(wordsFromTokens([tok('Hi', 0, 100, 0.7), tok(' there', 100, 300, 0.6)], 10).map((w) => w.word)).toEqual([
      'Hi',
      'there',
    ]);
  });

  it('drops whitespace-only words and clamps times into the audio', () => {
    const words = wordsFromTokens([tok(' ', 0, 10, 0.9), tok(' late', 2800, 3500, 0.5)], 3);
    expect(words).toEqual([{ word: 'late', start: 2.8, end: 3, probability: 0.5 }]);
  });
});

describe('toTranscriptionResult', () => {
  const event: ResultEvent = {
    event: 'result',
    id: 'x',
    language: 'en',
    timings: { total_ms: 12 },
    segments: [
      { t0_ms: 2500, t1_ms: 9900, text: ' second', avg_logprob: -0.5, no_speech_prob: 0.1, tokens: [tok(' second', 2500, 9900, 0.5)] },
      { t0_ms: 0, t1_ms: 2500, text: ' First one', avg_logprob: -0.2, no_speech_prob: 0.01, tokens: [tok(' First', 0, 1000, 0.9), tok(' one', 1000, 2500, 0.8)] },
    ],
  };

  it('orders segments by time, numbers them and converts ms to seconds clamped to the duration', () => {
    const result = toTranscriptionResult(event, 4, false);
    expect(result.segments).toEqual([
      { id: 0, start: 0, end: 2.5, text: ' First one', avg_logprob: -0.2, no_speech_prob: 0.01 },
      { id: 1, start: 2.5, end: 4, text: ' second', avg_logprob: -0.5, no_speech_prob: 0.1 },
    ]);
    expect(result.text).toBe('First one second');
    expect(result.language).toBe('en');
    expect(result.duration).toBe(4);
    expect(result.words).toBeUndefined();
  });

  it('adds words per segment and as a flat list when asked', () => {
    const result = toTranscriptionResult(event, 4, true);
    expect(result.words?.map((w) => w.word)).toEqual(['First', 'one', 'second']);
    expect(result.segments[1].words).toEqual([{ word: 'second', start: 2.5, end: 4, probability: 0.5 }]);
  });

  it('returns an empty transcript for a result without segments', () => {
    const result = toTranscriptionResult({ ...event, segments: [] }, 1.5, true);
    expect(result).toEqual({ text: '', language: 'en', duration: 1.5, segments: [], words: [] });
  });
});
