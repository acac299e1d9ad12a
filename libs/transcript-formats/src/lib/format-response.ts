import type { ResponseFormat, Task, TimestampGranularity, TranscriptionResult } from '@speech/contracts';
import { formatDiarizedJson } from './diarized-json.formatter';
import { formatSrt } from './srt.formatter';
import type { SubtitleOptions } from './subtitle-options';
import { type CompressionRatio, formatVerboseJson } from './verbose-json.formatter';
import { formatVtt } from './vtt.formatter';

export interface FormattedResponse {
  readonly contentType: string;
  readonly body: string;
}

export interface FormatRequest {
  readonly format: ResponseFormat;
  readonly task: Task;
  readonly temperature: number;
  readonly granularities: readonly TimestampGranularity[];
  /** `openai`: `json` is `{text}` as OpenAI answers; `native`: `json` is the whole result. */
  readonly flavour: 'native' | 'openai';
  /** SRT/VTT line and timing rules; absent (or empty): one cue per segment. */
  readonly subtitles?: SubtitleOptions;
  /** Needed for `verbose_json` only. */
  readonly compressionRatio?: CompressionRatio;
}

/** A transcription result as the body of an answer in any response format, with its content type. */
export function formatResponse(result: TranscriptionResult, request: FormatRequest): FormattedResponse {
  switch (request.format) {
    case 'text':
      return text(`${result.text}\n`);
    // OpenAI answers every text format as text/plain; native routes use the subtitle types.
    case 'srt':
      return text(formatSrt(result, request.subtitles), request.flavour === 'openai' ? undefined : 'application/x-subrip; charset=utf-8');
    case 'vtt':
      return text(formatVtt(result, request.subtitles), request.flavour === 'openai' ? undefined : 'text/vtt; charset=utf-8');
    case 'verbose_json': {
      if (!request.compressionRatio) throw new Error('verbose_json needs a compressionRatio function');
      return json(formatVerboseJson(result, request.task, request.temperature, request.granularities, request.compressionRatio));
    }
    case 'diarized_json':
      return json(formatDiarizedJson(result));
    case 'json':
      return json(request.flavour === 'openai' ? { text: result.text } : result);
  }
}

function text(body: string, contentType = 'text/plain; charset=utf-8'): FormattedResponse {
  return { contentType, body };
}

function json(value: unknown): FormattedResponse {
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}
