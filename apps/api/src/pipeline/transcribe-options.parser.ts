import {
  isWhisperLanguage,
  RESPONSE_FORMATS,
  type Task,
  TASKS,
  TIMESTAMP_GRANULARITIES,
  type TimestampGranularity,
} from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import { parseDiarizationRequest } from '../diarization/diarization-options';
import { parseVadOptions } from '../vad/vad-options';
import { defaultGranularities, type TranscribeOptions } from './transcribe-options';
import { subtitleFieldsOf } from './formatters/subtitle-fields';

type Fields = Record<string, unknown>;

/** whisper.cpp keeps at most ~224 prompt tokens; a longer prompt is a client mistake, not something to truncate silently. */
export const MAX_PROMPT_CHARS = 2000;

/** Native `POST /transcribe` and `POST /api/v1/jobs`: OpenAI's field names plus `task` and `word_timestamps`. */
export function parseNativeOptions(fields: Fields): TranscribeOptions {
  const task = oneOf(fields, 'task', TASKS, 'transcribe');
  return parseCommon(fields, task, booleanField(fields, 'word_timestamps'));
}

/** `POST /v1/audio/transcriptions|translations`, as OpenAI's SDKs send it (`stream` is read by streamRequested()). */
export function parseOpenAiOptions(fields: Fields, task: Task): TranscribeOptions {
  return parseCommon(fields, task, false);
}

/**
 * `stream=true`: answer with server-sent `transcript.text.delta` / `transcript.text.done` events instead of one body.
 * As at OpenAI, only for transcriptions and only with the `json` or `text` response format (the events carry text).
 */
export function streamRequested(fields: Fields, options: TranscribeOptions): boolean {
  if (!booleanField(fields, 'stream')) return false;
  if (options.task !== 'transcribe') throw invalid('stream', 'stream=true is available for transcriptions only; omit `stream`.');
  if (options.responseFormat !== 'json' && options.responseFormat !== 'text') {
    throw invalid('stream', `stream=true sends text events; response_format must be json or text, not ${options.responseFormat}.`);
  }
  return true;
}

function parseCommon(fields: Fields, task: Task, wordTimestampsField: boolean): TranscribeOptions {
  const responseFormat = oneOf(fields, 'response_format', RESPONSE_FORMATS, 'json');
  const granularities = granularitiesOf(fields);
  const temperature = numberField(fields, 'temperature', 0, 0, 1);
  const prompt = stringField(fields, 'prompt');
  if (prompt !== undefined && prompt.length > MAX_PROMPT_CHARS) {
    throw invalid('prompt', `prompt is ${prompt.length} characters; at most ${MAX_PROMPT_CHARS} are accepted.`);
  }
  const language = languageField(fields);
  const model = stringField(fields, 'model')?.trim();
  const subtitles = subtitleFieldsOf(fields);
  const diarization = parseDiarizationRequest(fields, responseFormat);
  if (responseFormat === 'diarized_json' && task !== 'transcribe') {
    throw invalid('response_format', 'diarized_json labels speakers of a transcription; translations answer in json, text, srt, vtt or verbose_json.');
  }
  const hallucinationFilter = booleanField(fields, 'hallucination_filter');
  // Subtitle rules split cues at words, so they need word timings (without them, times are estimated).
  const wordTimestamps = wordTimestampsField || granularities.includes('word') || subtitles !== undefined;
  return {
    ...(model ? { model } : {}),
    task,
    temperature,
    wordTimestamps,
    ...(language ? { language } : {}),
    ...(prompt ? { prompt } : {}),
    responseFormat,
    granularities: granularities.length > 0 ? granularities : defaultGranularities(wordTimestamps),
    ...(subtitles ? { subtitles } : {}),
    ...(diarization.enabled ? { diarization } : {}),
    ...(hallucinationFilter ? { hallucinationFilter } : {}),
    vad: parseVadOptions(fields),
  };
}

function languageField(fields: Fields): string | undefined {
  const raw = stringField(fields, 'language')?.trim().toLowerCase();
  if (!raw || raw === 'auto') return undefined;
  if (!isWhisperLanguage(raw)) {
    throw invalid('language', `language "${truncate(raw)}" is not a supported ISO 639-1 code (e.g. "en", "de"); omit it to detect.`);
  }
  return raw;
}

function granularitiesOf(fields: Fields): TimestampGranularity[] {
  // Multer turns `timestamp_granularities[]` into an array; plain repeated or comma-separated fields work too.
  const raw = fields['timestamp_granularities'] ?? fields['timestamp_granularities[]'];
  if (raw === undefined || raw === '') return [];
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((value) => String(value).split(',')).map((value) => value.trim());
  for (const value of values) {
    if (!(TIMESTAMP_GRANULARITIES as readonly string[]).includes(value)) {
      throw invalid('timestamp_granularities', `timestamp_granularities accepts ${TIMESTAMP_GRANULARITIES.join(', ')}; got "${truncate(value)}".`);
    }
  }
  return [...new Set(values as TimestampGranularity[])];
}

function oneOf<T extends string>(fields: Fields, name: string, allowed: readonly T[], fallback: T): T {
  const raw = stringField(fields, name);
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalid(name, `${name} must be one of ${allowed.join(', ')}; got "${truncate(raw)}".`);
  }
  return raw as T;
}

function numberField(fields: Fields, name: string, fallback: number, min: number, max: number): number {
  const raw = stringField(fields, name);
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw invalid(name, `${name} must be a number from ${min} to ${max}; got "${truncate(raw)}".`);
  }
  return value;
}

function booleanField(fields: Fields, name: string): boolean {
  const raw = stringField(fields, name)?.toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw invalid(name, `${name} must be true or false; got "${truncate(raw)}".`);
}

function stringField(fields: Fields, name: string): string | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw)) throw invalid(name, `${name} was sent more than once.`);
  if (typeof raw !== 'string') throw invalid(name, `${name} must be a string.`);
  return raw;
}

function invalid(param: string, message: string): DomainError {
  return new DomainError('INVALID_OPTION', message, { param });
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
