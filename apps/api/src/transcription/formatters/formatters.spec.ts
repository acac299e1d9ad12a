import type { TranscriptionResult } from '@speech/contracts';
import { formatResult } from './format-result';
import { formatSrt } from './srt.formatter';
import { formatTimestamp } from './timestamp';
import { formatVtt } from './vtt.formatter';

const result: TranscriptionResult = {
  text: 'Hello world. Fish & <chips> --> now',
  language: 'en',
  duration: 3725.5,
  segments: [
    { id: 0, start: 0, end: 1.2345, text: ' Hello world.', avg_logprob: -0.25, no_speech_prob: 0.01 },
    { id: 1, start: 1.5, end: 2, text: '   ' },
    { id: 2, start: 3661.001, end: 3725.5, text: ' Fish & <chips> --> now' },
  ],
  words: [
    { word: 'Hello', start: 0, end: 0.5, probability: 0.9 },
    { word: 'world.', start: 0.5, end: 1.2 },
  ],
};

describe('formatTimestamp', () => {
  it.each([
    [0, ',', '00:00:00,000'],
    [1.2345, ',', '00:00:01,235'],
    [3661.001, '.', '01:01:01.001'],
    [-3, '.', '00:00:00.000'],
    [59.9996, '.', '00:01:00.000'],
  ] as const)('%s s with "%s" → %s', (seconds, separator, expected) => {
    expect(formatTimestamp(seconds, separator)).toBe(expected);
  });
});

describe('formatSrt', () => {
  it('numbers non-empty cues from 1 and uses comma milliseconds', () => {
    expect(formatSrt(result)).toBe(
      '1\n00:00:00,000 --> 00:00:01,235\nHello world.\n\n2\n01:01:01,001 --> 01:02:05,500\nFish & <chips> --> now\n',
    );
  });
});

describe('formatVtt', () => {
  it('starts with the WEBVTT header and escapes cue text', () => {
    expect(formatVtt(result)).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.235\nHello world.\n\n01:01:01.001 --> 01:02:05.500\nFish &amp; &lt;chips&gt; --&gt; now\n',
    );
  });
});

describe('formatResult', () => {
  const base = { task: 'transcribe', temperature: 0, granularities: ['segment'] } as const;

  it('answers OpenAI json with only the text', () => {
    const formatted = formatResult(result, { ...base, format: 'json', flavour: 'openai' });
    expect(JSON.parse(formatted.body)).toEqual({ text: result.text });
    expect(formatted.contentType).toContain('application/json');
  });

  it('answers native json with the whole result', () => {
    expect(JSON.parse(formatResult(result, { ...base, format: 'json', flavour: 'native' }).body)).toEqual(result);
  });

  it('answers text with a trailing newline as text/plain', () => {
    const formatted = formatResult(result, { ...base, format: 'text', flavour: 'openai' });
    expect(formatted).toEqual({ contentType: 'text/plain; charset=utf-8', body: `${result.text}\n` });
  });

  it('uses text/plain for subtitles on /v1 and subtitle types on native routes', () => {
    expect(formatResult(result, { ...base, format: 'srt', flavour: 'openai' }).contentType).toMatch(/^text\/plain/);
    expect(formatResult(result, { ...base, format: 'srt', flavour: 'native' }).contentType).toMatch(/^application\/x-subrip/);
    expect(formatResult(result, { ...base, format: 'vtt', flavour: 'native' }).contentType).toMatch(/^text\/vtt/);
  });

  it('builds OpenAI verbose_json: language name, segment statistics, words only when asked', () => {
    const segmentsOnly = JSON.parse(formatResult(result, { ...base, format: 'verbose_json', flavour: 'openai' }).body);
    expect(segmentsOnly).toMatchObject({ task: 'transcribe', language: 'english', duration: 3725.5, text: result.text });
    expect(segmentsOnly.segments[0]).toMatchObject({ id: 0, start: 0, end: 1.235, temperature: 0, avg_logprob: -0.25, no_speech_prob: 0.01 });
    expect(segmentsOnly.segments[0].compression_ratio).toBeGreaterThan(0);
    expect(segmentsOnly.words).toBeUndefined();

    const withWords = JSON.parse(
      formatResult(result, { ...base, granularities: ['word'], format: 'verbose_json', flavour: 'openai' }).body,
    );
    expect(withWords.words).toEqual([
      { word: 'Hello', start: 0, end: 0.5 },
      { word: 'world.', start: 0.5, end: 1.2 },
    ]);
    expect(withWords.segments).toBeUndefined();
  });
});
