import { DomainError } from '../common/domain-error';

/**
 * What a request asks of the diarization stage, validated. Native routes and jobs take `diarize=true` with
 * `num_speakers`, or `min_speakers`/`max_speakers`; /v1 also turns it on with `response_format=diarized_json`
 * (OpenAI's diarizing model does so) and takes OpenAI's `known_speaker_names[]` + `known_speaker_references[]`
 * (data URLs of 2–10 s clips, at most 4).
 */
export type DiarizationRequest =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      readonly speakers?: number;
      readonly minSpeakers?: number;
      readonly maxSpeakers?: number;
      readonly knownSpeakers: readonly KnownSpeakerReference[];
    };

export interface KnownSpeakerReference {
  readonly name: string;
  /** The clip as sent (decoded by the audio pipeline like any upload). */
  readonly audio: Buffer;
  readonly mimeType: string;
}

/** A meeting with more than this many voices is past what window-level clustering of 192-d CAM++ embeddings separates reliably. */
export const MAX_SPEAKERS = 16;
export const MAX_KNOWN_SPEAKERS = 4;
/** The OpenAPI schema of num_speakers, min_speakers and max_speakers (forms and the stored job options). */
export const SPEAKER_COUNT_SCHEMA = { type: 'integer', minimum: 1, maximum: MAX_SPEAKERS } as const;
/** 10 s of 48 kHz 16-bit stereo WAV is ~1.9 MB; anything larger is not a 2–10 s reference clip. */
export const MAX_REFERENCE_BYTES = 2 * 1024 * 1024;
const MAX_NAME_CHARS = 64;

type Fields = Record<string, unknown>;

export function parseDiarizationRequest(fields: Fields, responseFormat?: string): DiarizationRequest {
  const names = list(fields, 'known_speaker_names');
  const references = list(fields, 'known_speaker_references');
  const enabled = bool(fields, 'diarize') ?? (responseFormat === 'diarized_json' || names.length > 0);
  const countFields = ['num_speakers', 'min_speakers', 'max_speakers'].filter((k) => fields[k] !== undefined);
  if (!enabled) {
    const stray = [...countFields, ...(references.length > 0 ? ['known_speaker_references'] : [])];
    if (stray.length > 0) throw invalid(stray[0], `${stray[0]} needs diarize=true (or response_format=diarized_json).`);
    return { enabled: false };
  }
  const speakers = count(fields, 'num_speakers');
  const minSpeakers = count(fields, 'min_speakers');
  const maxSpeakers = count(fields, 'max_speakers');
  if (speakers !== undefined && (minSpeakers !== undefined || maxSpeakers !== undefined)) {
    throw invalid('num_speakers', 'Send num_speakers, or min_speakers/max_speakers, not both.');
  }
  if (minSpeakers !== undefined && maxSpeakers !== undefined && minSpeakers > maxSpeakers) {
    throw invalid('min_speakers', `min_speakers (${minSpeakers}) is larger than max_speakers (${maxSpeakers}).`);
  }
  return { enabled: true, speakers, minSpeakers, maxSpeakers, knownSpeakers: knownSpeakers(names, references) };
}

function knownSpeakers(names: string[], references: string[]): KnownSpeakerReference[] {
  if (names.length !== references.length) {
    throw invalid('known_speaker_references', `known_speaker_names has ${names.length} entries and known_speaker_references ${references.length}; they pair up one to one.`);
  }
  if (names.length > MAX_KNOWN_SPEAKERS) throw invalid('known_speaker_names', `At most ${MAX_KNOWN_SPEAKERS} known speakers.`);
  const seen = new Set<string>();
  return names.map((rawName, i) => {
    const name = rawName.trim();
    if (name.length === 0 || name.length > MAX_NAME_CHARS || [...name].some((c) => c.charCodeAt(0) < 0x20)) {
      throw invalid('known_speaker_names', `Speaker names are 1–${MAX_NAME_CHARS} printable characters.`);
    }
    if (seen.has(name)) throw invalid('known_speaker_names', `The speaker name "${name}" is given twice.`);
    seen.add(name);
    return { name, ...dataUrl(references[i]) };
  });
}

function dataUrl(value: string): { audio: Buffer; mimeType: string } {
  // Only base64 data URLs: nothing here ever fetches a URL (no SSRF through a reference clip).
  const match = /^data:([a-z0-9.+/-]{1,64})(?:;[a-z0-9=.+-]{1,64})*;base64,([A-Za-z0-9+/=\s]+)$/i.exec(value);
  if (!match) throw invalid('known_speaker_references', 'Each known speaker reference is a base64 data URL (data:audio/wav;base64,…).');
  const encoded = match[2].replace(/\s+/g, '');
  if ((encoded.length * 3) / 4 > MAX_REFERENCE_BYTES) {
    throw invalid('known_speaker_references', `A known speaker reference is at most ${MAX_REFERENCE_BYTES / (1024 * 1024)} MiB (2–10 s of audio).`);
  }
  const audio = Buffer.from(encoded, 'base64');
  if (audio.length === 0) throw invalid('known_speaker_references', 'A known speaker reference is empty.');
  return { audio, mimeType: match[1].toLowerCase() };
}

/** Multipart sends arrays as repeated `name[]` fields (OpenAI's SDK) or `name`; JSON bodies send arrays. */
function list(fields: Fields, key: string): string[] {
  const value = fields[`${key}[]`] ?? fields[key];
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  if (!items.every((item): item is string => typeof item === 'string')) throw invalid(key, `${key} is a list of strings.`);
  return items;
}

function bool(fields: Fields, key: string): boolean | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalid(key, `${key} is true or false.`);
}

function count(fields: Fields, key: string): number | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SPEAKERS) throw invalid(key, `${key} is a whole number from 1 to ${MAX_SPEAKERS}.`);
  return n;
}

function invalid(param: string, message: string): DomainError {
  return new DomainError('INVALID_OPTION', message, { param });
}
