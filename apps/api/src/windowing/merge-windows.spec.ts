import type { TranscriptionResult } from '@speech/contracts';
import { mergeWindowResults } from './merge-windows';
import type { AudioWindow } from './silence-splitter';

const window = (index: number, startSeconds: number, durationSeconds: number): AudioWindow => ({
  index,
  startSample: startSeconds * 16000,
  endSample: (startSeconds + durationSeconds) * 16000,
  startSeconds,
  durationSeconds,
});

const result = (language: string, segments: Array<[number, number, string]>, words = false): TranscriptionResult => ({
  text: segments.map(([, , text]) => text).join(''),
  language,
  duration: 0,
  segments: segments.map(([start, end, text], id) => ({
    id,
    start,
    end,
    text,
    ...(words ? { words: [{ word: text.trim(), start, end }] } : {}),
  })),
});

describe('mergeWindowResults', () => {
  it('shifts each window by its exact offset, keeps order, renumbers, and rebuilds the text', () => {
    const merged = mergeWindowResults(
      [
        { window: window(1, 31.25, 29), result: result('en', [[0.5, 4, ' third'], [4, 29.5, ' fourth']]) },
        { window: window(0, 0, 31.25), result: result('en', [[0, 10, ' first'], [10, 31.25, ' second']]) },
      ],
      60.25,
      false,
    );
    expect(merged.segments.map(({ id, start, end, text }) => [id, start, end, text])).toEqual([
      [0, 0, 10, ' first'],
      [1, 10, 31.25, ' second'],
      [2, 31.75, 35.25, ' third'],
      // clamped to its window's end (31.25 + 29), which is also the audio's end
      [3, 35.25, 60.25, ' fourth'],
    ]);
    expect(merged.text).toBe('first second third fourth');
    expect(merged.duration).toBe(60.25);
    expect(merged.words).toBeUndefined();
  });

  it('shifts words too and flattens them when asked for', () => {
    const merged = mergeWindowResults(
      [
        { window: window(0, 0, 5), result: result('de', [[1, 2, ' eins']], true) },
        { window: window(1, 5, 5), result: result('de', [[0.25, 1, ' zwei']], true) },
      ],
      10,
      true,
    );
    expect(merged.words).toEqual([
      { word: 'eins', start: 1, end: 2 },
      { word: 'zwei', start: 5.25, end: 6 },
    ]);
  });

  it('reports the language spoken for the longest time', () => {
    const merged = mergeWindowResults(
      [
        { window: window(0, 0, 5), result: result('fr', []) },
        { window: window(1, 5, 50), result: result('en', []) },
      ],
      55,
      false,
    );
    expect(merged.language).toBe('en');
  });
});
