import type { TranscriptionOptions } from '@speech/contracts';
import type { EngineDiarization } from '../transcription-engine.port';
import { encodeWav16 } from './wav-encoder';

/** SageMaker caps CustomAttributes at 1024 visible ASCII characters. */
export const CUSTOM_ATTRIBUTES_LIMIT = 1024;

/**
 * Options as the model container reads them from `X-Amzn-SageMaker-Custom-Attributes`
 * (`key=value;…`, values URL-encoded). Undefined when they do not fit: send JSON instead.
 */
export function customAttributes(options: TranscriptionOptions): string | undefined {
  const pairs: Array<[string, string]> = [
    ['task', options.task],
    ['temperature', String(options.temperature)],
    ['word_timestamps', String(options.wordTimestamps)],
  ];
  if (options.language) pairs.push(['language', options.language]);
  if (options.prompt) pairs.push(['prompt', options.prompt]);
  const value = pairs.map(([key, raw]) => `${key}=${encodeURIComponent(raw)}`).join(';');
  return value.length <= CUSTOM_ATTRIBUTES_LIMIT ? value : undefined;
}

/** The JSON form of an invocation, for options too long for the header (and for any diarization request). */
export function jsonInvocation(flac: Buffer, options: TranscriptionOptions, diarization?: EngineDiarization): string {
  return JSON.stringify({
    audio_base64: flac.toString('base64'),
    options: {
      task: options.task,
      temperature: options.temperature,
      word_timestamps: options.wordTimestamps,
      ...(options.language ? { language: options.language } : {}),
      ...(options.prompt ? { prompt: options.prompt } : {}),
      ...(diarization ? diarizationFields(diarization) : {}),
    },
  });
}

/**
 * The model container's diarization options: `diarize`, the speaker counts, and known speakers as 16 kHz mono WAV
 * (base64). It answers with `segments[].speaker` and `words[].speaker`, segments already split at speaker changes.
 */
export function diarizationFields(diarization: EngineDiarization): Record<string, unknown> {
  return {
    diarize: true,
    ...(diarization.speakers !== undefined ? { num_speakers: diarization.speakers } : {}),
    ...(diarization.minSpeakers !== undefined ? { min_speakers: diarization.minSpeakers } : {}),
    ...(diarization.maxSpeakers !== undefined ? { max_speakers: diarization.maxSpeakers } : {}),
    ...(diarization.knownSpeakers.length > 0
      ? { known_speakers: diarization.knownSpeakers.map((k) => ({ name: k.name, audio_base64: encodeWav16(k.samples).toString('base64') })) }
      : {}),
  };
}

/**
 * One invocation body, as both network engines send it: FLAC with options in the header, or JSON when they do not
 * fit or when diarization is asked for (known speakers' clips can only travel in the body).
 */
export interface InvocationPayload {
  readonly body: Buffer;
  readonly contentType: 'audio/flac' | 'application/json';
  /** Set for the FLAC form: the value of `X-Amzn-SageMaker-Custom-Attributes`. */
  readonly customAttributes?: string;
}

export function invocationPayload(flac: Buffer, options: TranscriptionOptions, diarization?: EngineDiarization): InvocationPayload {
  const attributes = diarization ? undefined : customAttributes(options);
  return attributes !== undefined
    ? { body: flac, contentType: 'audio/flac', customAttributes: attributes }
    : { body: Buffer.from(jsonInvocation(flac, options, diarization), 'utf8'), contentType: 'application/json' };
}
