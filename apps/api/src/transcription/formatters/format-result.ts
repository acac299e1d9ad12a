import type { ResponseFormat, Task, TimestampGranularity, TranscriptionResult } from '@speech/contracts';
import { formatSrt } from './srt.formatter';
import { formatVerboseJson } from './verbose-json.formatter';
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
}

export function formatResult(result: TranscriptionResult, request: FormatRequest): FormattedResponse {
  switch (request.format) {
    case 'text':
      return text(`${result.text}\n`);
    // OpenAI answers every text format as text/plain; native routes use the subtitle types.
    case 'srt':
      return text(formatSrt(result), request.flavour === 'openai' ? undefined : 'application/x-subrip; charset=utf-8');
    case 'vtt':
      return text(formatVtt(result), request.flavour === 'openai' ? undefined : 'text/vtt; charset=utf-8');
    case 'verbose_json':
      return json(formatVerboseJson(result, request.task, request.temperature, request.granularities));
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
