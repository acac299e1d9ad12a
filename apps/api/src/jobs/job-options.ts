import type { JobOptions } from '@speech/contracts';
import { subtitleOptionsToFields } from '@speech/transcript-formats';
import { DomainError } from '../common/domain-error';
import { subtitleFieldsOf } from '../pipeline/formatters/subtitle-fields';
import { defaultGranularities, type TranscribeOptions } from '../pipeline/transcribe-options';
import { parseVadOptions, type VadSettings } from '../vad/vad-options';

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
    ...storedDiarization(options.diarization),
    ...(options.hallucinationFilter ? { hallucination_filter: true } : {}),
    ...storedVad(options.vad),
  };
}

/**
 * Known speakers' clips (up to 4 × 2 MiB) do not fit a job record (a DynamoDB item holds 400 KB), so jobs take
 * `diarize` and the counts only; clips are for synchronous requests.
 */
function storedDiarization(diarization: TranscribeOptions['diarization']): Partial<JobOptions> {
  if (!diarization) return {};
  if (diarization.knownSpeakers.length > 0) {
    throw new DomainError(
      'INVALID_OPTION',
      'Jobs take diarize, num_speakers, min_speakers and max_speakers; known speakers (known_speaker_names/references) are accepted on synchronous requests only.',
      { param: 'known_speaker_names' },
    );
  }
  return {
    diarize: true,
    ...(diarization.speakers !== undefined ? { num_speakers: diarization.speakers } : {}),
    ...(diarization.minSpeakers !== undefined ? { min_speakers: diarization.minSpeakers } : {}),
    ...(diarization.maxSpeakers !== undefined ? { max_speakers: diarization.maxSpeakers } : {}),
  };
}

function diarizationOf(stored: JobOptions): Pick<TranscribeOptions, 'diarization'> {
  if (!stored.diarize) return {};
  return {
    diarization: {
      enabled: true,
      speakers: stored.num_speakers,
      minSpeakers: stored.min_speakers,
      maxSpeakers: stored.max_speakers,
      knownSpeakers: [],
    },
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
    ...diarizationOf(stored),
    ...(stored.hallucination_filter ? { hallucinationFilter: true } : {}),
    // Jobs stored before VAD existed read back with the default (on): the same rule as a new request.
    vad: parseVadOptions({ vad: stored.vad, chunking_strategy: stored.chunking_strategy }),
  };
}

/** `auto` is the default and stored as nothing; off as `vad: false`; server_vad as the caller's three values. */
function storedVad(vad: VadSettings): Pick<JobOptions, 'vad' | 'chunking_strategy'> {
  if (!vad.enabled) return { vad: false };
  if (vad.strategy === 'auto') return {};
  return {
    chunking_strategy: {
      type: 'server_vad',
      threshold: vad.regions.threshold,
      prefix_padding_ms: vad.regions.speechPadMs,
      silence_duration_ms: vad.regions.minSilenceMs,
    },
  };
}

function subtitlesOf(stored: JobOptions): { subtitles?: TranscribeOptions['subtitles'] } {
  const subtitles = subtitleFieldsOf(stored);
  return subtitles ? { subtitles } : {};
}
