import type { TranscriptionResult } from '@speech/contracts';
import { formatSrt, formatVtt } from '@speech/transcript-formats';
import { downloadName, formatDownload } from './download-files';

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

  it('names downloads after the audio file', () => {
    expect(downloadName('meeting.final.mp3', 'srt')).toBe('meeting.final.srt');
    expect(downloadName('recording', 'vtt')).toBe('recording.vtt');
    expect(downloadName('.mp3', 'txt')).toBe('transcript.txt');
  });
});
