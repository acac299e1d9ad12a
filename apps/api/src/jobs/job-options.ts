import type { JobOptions } from '@speech/contracts';
import { subtitleOptionsToFields } from '@speech/transcript-formats';
import { subtitleFieldsOf } from '../pipeline/formatters/subtitle-fields';
import { defaultGranularities, type TranscribeOptions } from '../pipeline/transcribe-options';

/**
 * The only conversion between the pipeline's options and the snake_case form a job record keeps on disk (and shows
 * as `Job.options`). Records written before `timestamp_granularities` was kept read back with the granularities
 * their transcripts had then.
 */
export function storedOptions(options: TranscribeOptions): JobOptions {
  return {
    ...(options.model ? { model: options.model } : {}),
    task: options.task,
    temperature: options.temperature,
    word_timestamps: options.wordTimestamps,
    response_format: options.responseFormat,
    timestamp_granularities: [...options.granularities],
    ...(options.language ? { language: options.language } : {}),
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...subtitleOptionsToFields(options.subtitles ?? {}),
  };
}

export function optionsOfJob(stored: JobOptions): TranscribeOptions {
  return {
    ...(stored.model ? { model: stored.model } : {}),
    task: stored.task,
    temperature: stored.temperature,
    wordTimestamps: stored.word_timestamps,
    responseFormat: stored.response_format,
    granularities: stored.timestamp_granularities?.length ? [...stored.timestamp_granularities] : defaultGranularities(stored.word_timestamps),
    ...(stored.language ? { language: stored.language } : {}),
    ...(stored.prompt ? { prompt: stored.prompt } : {}),
    ...subtitlesOf(stored),
  };
}

function subtitlesOf(stored: JobOptions): { subtitles?: TranscribeOptions['subtitles'] } {
  const subtitles = subtitleFieldsOf(stored);
  return subtitles ? { subtitles } : {};
}
