import type { ResponseFormat, TranscriptionResult } from '@speech/contracts';
import { formatResponse, type SubtitleOptions } from '@speech/transcript-formats';

export const DOWNLOAD_FORMATS = ['txt', 'srt', 'vtt', 'json'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

/** What a download button asks for: a format, and for SRT/VTT the subtitle rules (absent: one cue per segment). */
export interface DownloadRequest {
  readonly format: DownloadFormat;
  readonly subtitles?: SubtitleOptions;
}

export const MIME_TYPES: Readonly<Record<DownloadFormat, string>> = {
  txt: 'text/plain;charset=utf-8',
  srt: 'application/x-subrip;charset=utf-8',
  vtt: 'text/vtt;charset=utf-8',
  json: 'application/json;charset=utf-8',
};

const RESPONSE_FORMAT_OF: Readonly<Record<DownloadFormat, ResponseFormat>> = { txt: 'text', srt: 'srt', vtt: 'vtt', json: 'json' };

/**
 * A transcript file built in the browser by the API's own formatters (@speech/transcript-formats, the native
 * flavour the API uses for `/transcribe` and job files), so it is byte-identical to what the API would send.
 */
export function formatDownload(result: TranscriptionResult, format: DownloadFormat, subtitles?: SubtitleOptions): string {
  return formatResponse(result, {
    format: RESPONSE_FORMAT_OF[format],
    // Only verbose_json reads these, and the console never writes verbose_json.
    task: 'transcribe',
    temperature: 0,
    granularities: ['segment'],
    flavour: 'native',
    subtitles,
  }).body;
}

/** A file name for a download: the audio's name without its extension, plus the format's. */
export function downloadName(sourceName: string, format: DownloadFormat): string {
  const base = sourceName.replace(/\.[^./\\]+$/, '') || 'transcript';
  return `${base}.${format}`;
}
