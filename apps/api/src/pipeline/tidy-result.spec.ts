import { tidyResult } from './tidy-result';

describe('tidyResult', () => {
  const raw = {
    text: 'ignored',
    language: 'en',
    duration: 0,
    segments: [
      { id: 7, start: 2, end: 9, text: ' second', words: [{ word: 'second', start: 2, end: 9.5 }] },
      { id: 3, start: -0.1, end: 1, text: ' first', words: [{ word: 'first', start: -0.1, end: 1 }] },
    ],
  };

  it('orders, renumbers and clamps segments into [0, duration]; text is rebuilt from them', () => {
    const tidy = tidyResult(raw, 8, false);
    expect(tidy.segments.map(({ id, start, end, text }) => ({ id, start, end, text }))).toEqual([
      { id: 0, start: 0, end: 1, text: ' first' },
      { id: 1, start: 2, end: 8, text: ' second' },
    ]);
    expect(tidy.text).toBe('first second');
    expect(tidy.duration).toBe(8);
    expect(tidy.words).toBeUndefined();
    expect(tidy.segments[0]?.words).toBeUndefined();
  });

  it('keeps clamped words, flattened, when asked for', () => {
    const tidy = tidyResult(raw, 8, true);
    expect(tidy.words).toEqual([
      { word: 'first', start: 0, end: 1 },
      { word: 'second', start: 2, end: 8 },
    ]);
  });
});
