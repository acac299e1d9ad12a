import type { TranscriptionResult } from '@speech/contracts';
import { formatResponse } from './format-response';
import { formatSrt } from './srt.formatter';
import { formatTimestamp, parseTimestamp } from './timestamp';
import { formatVtt } from './vtt.formatter';

// The outputs without subtitle options are pinned byte for byte: clients have relied on them since the first release.
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
const textLength = (text: string) => Buffer.byteLength(text) / 2;

describe('timestamps', () => {
  it.each([
    [0, ',', '00:00:00,000'],
    [1.2345, ',', '00:00:01,235'],
    [3661.001, '.', '01:01:01.001'],
    [-3, '.', '00:00:00.000'],
    [59.9996, '.', '00:01:00.000'],
  ] as const)('%s s with "%s" → %s', (seconds, separator, expected) => {
    expect(formatTimestamp(seconds, separator)).toBe(expected);
    expect(parseTimestamp(expected)).toBe(Math.max(0, Math.round(seconds * 1000)));
  });

  it('refuses what is not a timestamp', () => {
    expect(parseTimestamp('1:2:3.4')).toBeUndefined();
    expect(parseTimestamp('00:61:00.000')).toBeUndefined();
    expect(parseTimestamp('01:00.250')).toBe(60_250);
  });
});

describe('without subtitle options (one cue per segment)', () => {
  it('SRT numbers non-empty cues from 1 and uses comma milliseconds', () => {
    const expected = '1\n00:00:00,000 --> 00:00:01,235\nHello world.\n\n2\n01:01:01,001 --> 01:02:05,500\nFish & <chips> --> now\n';
    expect(formatSrt(result)).toBe(expected);
    expect(formatSrt(result, {})).toBe(expected);
    expect(formatSrt(result, { maxLineWidth: undefined })).toBe(expected);
  });

  it('WebVTT starts with its header and escapes cue text', () => {
    expect(formatVtt(result)).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.235\nHello world.\n\n01:01:01.001 --> 01:02:05.500\nFish &amp; &lt;chips&gt; --&gt; now\n',
    );
  });
});

describe('formatResponse', () => {
  const base = { task: 'transcribe', temperature: 0, granularities: ['segment'], compressionRatio: textLength } as const;

  it('answers OpenAI json with only the text, native json with the whole result', () => {
    const openai = formatResponse(result, { ...base, format: 'json', flavour: 'openai' });
    expect(JSON.parse(openai.body)).toEqual({ text: result.text });
    expect(openai.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(formatResponse(result, { ...base, format: 'json', flavour: 'native' }).body)).toEqual(result);
  });

  it('answers text with a trailing newline as text/plain', () => {
    expect(formatResponse(result, { ...base, format: 'text', flavour: 'openai' })).toEqual({ contentType: 'text/plain; charset=utf-8', body: `${result.text}\n` });
  });

  it('uses text/plain for subtitles on /v1 and subtitle types on native routes, and passes the subtitle options on', () => {
    expect(formatResponse(result, { ...base, format: 'srt', flavour: 'openai' }).contentType).toBe('text/plain; charset=utf-8');
    expect(formatResponse(result, { ...base, format: 'srt', flavour: 'native' }).contentType).toBe('application/x-subrip; charset=utf-8');
    expect(formatResponse(result, { ...base, format: 'vtt', flavour: 'native' }).contentType).toBe('text/vtt; charset=utf-8');
    const narrow = formatResponse(result, { ...base, format: 'srt', flavour: 'native', subtitles: { maxLineWidth: 10 } });
    expect(narrow.body).toBe(formatSrt(result, { maxLineWidth: 10 }));
    expect(narrow.body).not.toBe(formatSrt(result));
  });

  it('builds OpenAI verbose_json with the given compression measure; words only when asked', () => {
    const segmentsOnly = JSON.parse(formatResponse(result, { ...base, format: 'verbose_json', flavour: 'openai' }).body);
    expect(segmentsOnly).toMatchObject({ task: 'transcribe', language: 'english', duration: 3725.5, text: result.text });
    expect(segmentsOnly.segments[0]).toEqual({
      id: 0, start: 0, end: 1.235, text: ' Hello world.', temperature: 0, compression_ratio: 6.5, avg_logprob: -0.25, no_speech_prob: 0.01,
    });
    expect(segmentsOnly.words).toBeUndefined();
    const withWords = JSON.parse(formatResponse(result, { ...base, granularities: ['word'], format: 'verbose_json', flavour: 'openai' }).body);
    expect(withWords.words).toEqual([
      { word: 'Hello', start: 0, end: 0.5 },
      { word: 'world.', start: 0.5, end: 1.2 },
    ]);
    expect(withWords.segments).toBeUndefined();
  });

  it('refuses verbose_json without a compression measure rather than inventing one', () => {
    expect(() => formatResponse(result, { ...base, compressionRatio: undefined, format: 'verbose_json', flavour: 'openai' })).toThrow(/compressionRatio/);
  });
});
