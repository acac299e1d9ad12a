import type { TranscriptionResult } from '@speech/contracts';
import { assignSpeakers } from './assign-speakers';

const turns = [
  { start: 0, end: 2.05, speaker: 'A' },
  { start: 2.05, end: 5, speaker: 'B' },
];

describe('assignSpeakers', () => {
  it('splits a segment whose words change speaker, at the word boundary, and renumbers segments', () => {
    const result: TranscriptionResult = {
      text: ' Hello there. Hi, how are you?',
      language: 'en',
      duration: 5,
      segments: [{
        id: 0, start: 0, end: 4, text: ' Hello there. Hi, how are you?',
        words: [
          { word: 'Hello', start: 0.1, end: 0.6 }, { word: 'there.', start: 0.6, end: 1.2 },
          { word: 'Hi,', start: 2.1, end: 2.4 }, { word: 'how', start: 2.5, end: 2.8 }, { word: 'are', start: 2.8, end: 3 },
          { word: 'you?', start: 3, end: 3.4 },
        ],
      }],
    };
    const out = assignSpeakers(result, turns);
    expect(out.segments.map((s) => [s.id, s.speaker, s.start, s.end, s.text])).toEqual([
      [0, 'A', 0.1, 1.2, ' Hello there.'],
      [1, 'B', 2.1, 3.4, ' Hi, how are you?'],
    ]);
    expect(out.segments[1].words?.every((w) => w.speaker === 'B')).toBe(true);
  });

  it('gives a segment without words the speaker with the most overlap, and an uncovered word the nearest turn', () => {
    const result: TranscriptionResult = {
      text: 'x', language: 'en', duration: 9,
      segments: [{ id: 0, start: 1.5, end: 4, text: ' x' }],
      words: [{ word: 'late', start: 7, end: 7.5 }],
    };
    const out = assignSpeakers(result, turns);
    expect(out.segments[0]).toMatchObject({ speaker: 'B', start: 1.5, end: 4, text: ' x' });
    expect(out.words?.[0].speaker).toBe('B');
  });

  it('leaves the transcript alone when there are no turns', () => {
    const result: TranscriptionResult = { text: '', language: 'en', duration: 1, segments: [] };
    expect(assignSpeakers(result, [])).toBe(result);
  });
});
