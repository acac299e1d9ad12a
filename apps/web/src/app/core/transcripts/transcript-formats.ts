import type { TranscriptionResult } from '@speech/contracts';

export const DOWNLOAD_FORMATS = ['txt', 'srt', 'vtt', 'json'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export const MIME_TYPES: Readonly<Record<DownloadFormat, string>> = {
  txt: 'text/plain;charset=utf-8',
  srt: 'application/x-subrip;charset=utf-8',
  vtt: 'text/vtt;charset=utf-8',
  json: 'application/json;charset=utf-8',
};

/**
 * The transcript files the API's formatters write (apps/api/src/transcription/formatters), built in the
 * browser from a result it already holds. The rules are the API's: cues without text are dropped, SRT
 * numbers cues from 1 with comma milliseconds, WebVTT starts with its header and escapes `&`, `<`, `>`;
 * text is the transcript plus a newline; json is the native result. The specs pin the same outputs.
 */
export function formatTranscript(result: TranscriptionResult, format: DownloadFormat): string {
  switch (format) {
    case 'txt':
      return `${result.text}\n`;
    case 'srt':
      return formatSrt(result);
    case 'vtt':
      return formatVtt(result);
    case 'json':
      return JSON.stringify(result);
  }
}

export function formatSrt(result: TranscriptionResult): string {
  return cues(result, (text) => text)
    .map((cue, index) => `${index + 1}\n${formatTimestamp(cue.start, ',')} --> ${formatTimestamp(cue.end, ',')}\n${cue.text}\n`)
    .join('\n');
}

export function formatVtt(result: TranscriptionResult): string {
  const body = cues(result, escapeCueText).map((cue) => `${formatTimestamp(cue.start, '.')} --> ${formatTimestamp(cue.end, '.')}\n${cue.text}\n`);
  return ['WEBVTT\n', ...body].join('\n');
}

/** `HH:MM:SS<sep>mmm`; negative times clamp to zero, milliseconds round half up. */
export function formatTimestamp(seconds: number, separator: ',' | '.'): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const ms = totalMs % 1000;
  const totalSeconds = Math.floor(totalMs / 1000);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(Math.floor(totalSeconds / 3600), 2)}:${pad(Math.floor(totalSeconds / 60) % 60, 2)}:${pad(totalSeconds % 60, 2)}${separator}${pad(ms, 3)}`;
}

function cues(result: TranscriptionResult, render: (text: string) => string): Array<{ start: number; end: number; text: string }> {
  return result.segments
    .map((segment) => ({ start: segment.start, end: segment.end, text: render(segment.text.trim()) }))
    .filter((cue) => cue.text.length > 0);
}

function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A file name for a download: the audio's name without its extension, plus the format's. */
export function downloadName(sourceName: string, format: DownloadFormat): string {
  const base = sourceName.replace(/\.[^./\\]+$/, '') || 'transcript';
  return `${base}.${format}`;
}
