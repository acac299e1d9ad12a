import { isWhisperLanguage } from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import { SERVER_VAD_TURN_DEFAULTS, type TurnSettings } from '../streaming/turn-detector';

/** The input encodings of OpenAI's Realtime API, by their beta names (GA: audio/pcm 24 kHz, audio/pcmu, audio/pcma). */
export type InputAudioFormat = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

/** What a session does with its audio; changed by `session.update` or the beta `transcription_session.update`. */
export interface SessionSettings {
  readonly format: InputAudioFormat;
  /** null: no server VAD; the client commits turns itself. */
  readonly turnDetection: TurnSettings | null;
  readonly model: string;
  readonly language?: string;
  readonly prompt?: string;
}

export const DEFAULT_SESSION: SessionSettings = { format: 'pcm16', turnDetection: SERVER_VAD_TURN_DEFAULTS, model: 'whisper-1' };

const GA_FORMATS: Record<string, InputAudioFormat> = { 'audio/pcm': 'pcm16', 'audio/pcmu': 'g711_ulaw', 'audio/pcma': 'g711_alaw' };
const BETA_FORMATS: readonly InputAudioFormat[] = ['pcm16', 'g711_ulaw', 'g711_alaw'];

type Json = Record<string, unknown>;

/**
 * GA `session.update` with `{ type: 'transcription', audio: { input: { format, transcription, turn_detection } } }`.
 * Fields left out keep their current values, as at OpenAI.
 */
export function applySessionUpdate(current: SessionSettings, session: unknown): SessionSettings {
  const body = object(session, 'session');
  if (body['type'] !== undefined && body['type'] !== 'transcription') {
    throw invalid('session.type', `This endpoint serves transcription sessions only; session.type must be "transcription", not ${JSON.stringify(body['type'])}.`);
  }
  const input = body['audio'] === undefined ? {} : object(object(body['audio'], 'session.audio')['input'] ?? {}, 'session.audio.input');
  let next = current;
  if (input['format'] !== undefined) {
    const format = object(input['format'], 'session.audio.input.format');
    const named = GA_FORMATS[String(format['type'])];
    if (!named) throw invalid('session.audio.input.format.type', `Unsupported input format ${JSON.stringify(format['type'])}; use audio/pcm, audio/pcmu or audio/pcma.`);
    if (named === 'pcm16' && format['rate'] !== undefined && format['rate'] !== 24_000) {
      throw invalid('session.audio.input.format.rate', 'audio/pcm is 24000 Hz, as at OpenAI.');
    }
    next = { ...next, format: named };
  }
  if (input['transcription'] !== undefined) next = withTranscription(next, input['transcription'], 'session.audio.input.transcription');
  if (input['turn_detection'] !== undefined) next = withTurnDetection(next, input['turn_detection'], 'session.audio.input.turn_detection');
  return next;
}

/** The older beta `transcription_session.update`: `input_audio_format`, `input_audio_transcription`, `turn_detection`. */
export function applyBetaSessionUpdate(current: SessionSettings, session: unknown): SessionSettings {
  const body = object(session, 'session');
  let next = current;
  if (body['input_audio_format'] !== undefined) {
    const format = body['input_audio_format'];
    if (!BETA_FORMATS.includes(format as InputAudioFormat)) {
      throw invalid('session.input_audio_format', `Unsupported input_audio_format ${JSON.stringify(format)}; use pcm16, g711_ulaw or g711_alaw.`);
    }
    next = { ...next, format: format as InputAudioFormat };
  }
  if (body['input_audio_transcription'] !== undefined) next = withTranscription(next, body['input_audio_transcription'], 'session.input_audio_transcription');
  if (body['turn_detection'] !== undefined) next = withTurnDetection(next, body['turn_detection'], 'session.turn_detection');
  return next;
}

function withTranscription(current: SessionSettings, value: unknown, param: string): SessionSettings {
  if (value === null) return current;
  const body = object(value, param);
  const next: { -readonly [K in keyof SessionSettings]: SessionSettings[K] } = { ...current };
  if (body['model'] !== undefined) next.model = text(body['model'], `${param}.model`, 100);
  if (body['prompt'] !== undefined) {
    const prompt = text(body['prompt'], `${param}.prompt`, 2000);
    if (prompt) next.prompt = prompt;
    else delete next.prompt;
  }
  if (body['language'] !== undefined) {
    const language = text(body['language'], `${param}.language`, 10).toLowerCase();
    if (language && !isWhisperLanguage(language)) throw invalid(`${param}.language`, `language "${language}" is not a supported ISO 639-1 code.`);
    if (language) next.language = language;
    else delete next.language;
  }
  return next;
}

function withTurnDetection(current: SessionSettings, value: unknown, param: string): SessionSettings {
  if (value === null) return { ...current, turnDetection: null };
  const body = object(value, param);
  if (body['type'] !== undefined && body['type'] !== 'server_vad') {
    throw invalid(`${param}.type`, `Only server_vad turn detection (or null) is available; got ${JSON.stringify(body['type'])}.`);
  }
  const base = current.turnDetection ?? SERVER_VAD_TURN_DEFAULTS;
  return {
    ...current,
    turnDetection: {
      threshold: number(body['threshold'], `${param}.threshold`, 0, 1, false) ?? base.threshold,
      prefixPaddingMs: number(body['prefix_padding_ms'], `${param}.prefix_padding_ms`, 0, 2000, true) ?? base.prefixPaddingMs,
      silenceDurationMs: number(body['silence_duration_ms'], `${param}.silence_duration_ms`, 100, 10_000, true) ?? base.silenceDurationMs,
    },
  };
}

function object(value: unknown, param: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(param, `${param} must be an object.`);
  return value as Json;
}

function text(value: unknown, param: string, max: number): string {
  if (typeof value !== 'string') throw invalid(param, `${param} must be a string.`);
  if (value.length > max) throw invalid(param, `${param} is longer than ${max} characters.`);
  return value.trim();
}

function number(value: unknown, param: string, min: number, max: number, integer: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw invalid(param, `${param} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}.`);
  }
  return value;
}

function invalid(param: string, message: string): DomainError {
  return new DomainError('INVALID_OPTION', message, { param });
}
