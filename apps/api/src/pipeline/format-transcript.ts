import type { ResponseFormat, TranscriptionResult } from '@speech/contracts';
import { type FormattedResponse, formatResult } from './formatters/format-result';
import type { TranscribeOptions } from './transcribe-options';

export type { FormattedResponse };

/**
 * A transcript in the format the options ask for (or `format`, for a job's other downloads): the one place that
 * turns the options into the formatter's request, for sync answers and job transcripts alike.
 */
export function formatTranscript(
  result: TranscriptionResult,
  options: TranscribeOptions,
  flavour: 'native' | 'openai',
  format: ResponseFormat = options.responseFormat,
): FormattedResponse {
  return formatResult(result, {
    format,
    task: options.task,
    temperature: options.temperature,
    granularities: options.granularities,
    flavour,
    ...(options.subtitles ? { subtitles: options.subtitles } : {}),
  });
}
