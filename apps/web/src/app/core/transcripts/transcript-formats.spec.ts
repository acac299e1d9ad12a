import type { TranscriptionResult } from '@speech/contracts';
import { downloadName, formatSrt, formatTimestamp, formatTranscript, formatVtt } from './transcript-formats';

// The same result and expectations as the API's formatter spec (apps/api/src/transcription/formatters),
// so the files the console builds for sync results match the API's byte for byte.
const result: TranscriptionResult = {
  text: 'Hello world. Fish & <chips> --> now',
  language: 'en',
  duration: 3725.5,
  segments: [
    { id: 0, start: 0, end: 1.2345, text: ' Hello world.' },
    { id: 1, start: 1.5, end: 2, text: '   ' },
    { id: 2, start: 3661.001, end: 3725.5, text: ' Fish & <chips> --> now' },
  ],
};

describe('transcript formats', () => {
  it.each([
    [0, ',', '00:00:00,000'],
    [1.2345, ',', '00:00:01,235'],
    [3661.001, '.', '01:01:01.001'],
    [-3, '.', '00:00:00.000'],
    [59.9996, '.', '00:01:00.000'],
  ] as const)('timestamp %s s with "%s" is %s', (seconds, separator, expected) => {
    expect(formatTimestamp(seconds, separator)).toBe(expected);
  });

  it('numbers SRT cues from 1, drops empty ones and uses comma milliseconds', () => {
    expect(formatSrt(result)).toBe(
      '1\n00:00:00,000 --> 00:00:01,235\nHello world.\n\n2\n01:01:01,001 --> 01:02:05,500\nFish & <chips> --> now\n',
    );
  });

  it('starts WebVTT with its header and escapes cue text', () => {
    expect(formatVtt(result)).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.235\nHello world.\n\n01:01:01.001 --> 01:02:05.500\nFish &amp; &lt;chips&gt; --&gt; now\n',
    );
  });

  it('writes text with a trailing newline and json as the native result', () => {
    expect(formatTranscript(result, 'txt')).toBe(`${result.text}\n`);
    expect(JSON.parse(formatTranscript(result, 'json'))).toEqual(result);
  });

  it('names downloads after the audio file', () => {
    expect(downloadName('meeting.final.mp3', 'srt')).toBe('meeting.final.srt');
    expect(downloadName('recording', 'vtt')).toBe('recording.vtt');
    expect(downloadName('.mp3', 'txt')).toBe('transcript.txt');
  });
});
