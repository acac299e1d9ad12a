import type { TranscriptionResult } from '@speech/contracts';
import { formatSrt, formatVtt } from '@speech/transcript-formats';
import { A_DIARIZED_RESULT } from '../../../testing/fixtures';
import { downloadName, formatDownload } from './download-files';
import { withSpeakerNames } from './speaker-names';

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

describe('download files', () => {
  it('writes text with a trailing newline and json as the native result', () => {
    expect(formatDownload(result, 'txt')).toBe(`${result.text}\n`);
    expect(JSON.parse(formatDownload(result, 'json'))).toEqual(result);
  });

  it('writes SRT and VTT with the shared formatters, with or without subtitle rules', () => {
    expect(formatDownload(result, 'srt')).toBe(formatSrt(result));
    expect(formatDownload(result, 'srt')).toMatch(/^1\n00:00:00,000 --> 00:00:01,235\nHello world\.\n/);
    expect(formatDownload(result, 'vtt', { maxLineWidth: 12 })).toBe(formatVtt(result, { maxLineWidth: 12 }));
  });

  it('carries renamed speakers in every format, exactly as the formatters write a result labelled with those names', () => {
    const renamed = withSpeakerNames(A_DIARIZED_RESULT, { A: 'Alice', B: 'Bob' });
    // What the API would hold had it labelled the speakers Alice and Bob itself (e.g. known speakers).
    const labelled = JSON.parse(JSON.stringify(A_DIARIZED_RESULT)) as typeof A_DIARIZED_RESULT;
    for (const segment of labelled.segments) {
      segment.speaker = segment.speaker === 'A' ? 'Alice' : 'Bob';
      for (const word of segment.words ?? []) word.speaker = segment.speaker;
    }
    for (const format of ['txt', 'srt', 'vtt', 'json'] as const) expect(formatDownload(renamed, format)).toBe(formatDownload(labelled, format));
    expect(formatDownload(renamed, 'vtt', { maxLineWidth: 20 })).toBe(formatVtt(labelled, { maxLineWidth: 20 }));
    const json = JSON.parse(formatDownload(renamed, 'json')) as typeof A_DIARIZED_RESULT;
    expect(json.segments.map((s) => s.speaker)).toEqual(['Bob', 'Alice', 'Alice', 'Bob']);
    expect(json.segments[0].words?.map((w) => w.speaker)).toEqual(['Bob', 'Bob', 'Bob']);
  });

  it('names downloads after the audio file', () => {
    expect(downloadName('meeting.final.mp3', 'srt')).toBe('meeting.final.srt');
    expect(downloadName('recording', 'vtt')).toBe('recording.vtt');
    expect(downloadName('.mp3', 'txt')).toBe('transcript.txt');
  });
});
