import { DomainError } from '../common/domain-error';
import { SILERO_REFERENCE_DEFAULTS, type SpeechRegionOptions } from './speech-regions';

/** Whisper reads 30 s at a time: a chunk never holds more, so no engine has to cut speech itself. */
export const MAX_CHUNK_SECONDS = 30;

/**
 * Silence laid between two regions of a chunk. Laid end to end with only their 200 ms pads, tiny.en placed words
 * across the joins (a region's first words at the end of the region before: start errors of 2-3 s on the eval set's
 * long recording once mapped back); with a second of silence between them Whisper ends and starts segments in the
 * gap, and a time in the gap maps to the edge of the region beside it (chunk-timeline.ts).
 */
export const JOIN_GAP_SECONDS = 1.0;

/** What the VAD stage does for one request, after validation. */
export type VadSettings =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /** Which request form chose it: our defaults (`auto`, or nothing sent) or the caller's `server_vad`. */
      readonly strategy: 'auto' | 'server_vad';
      readonly regions: SpeechRegionOptions;
      readonly maxChunkSeconds: number;
    };

/**
 * `auto` (and no chunking_strategy at all): longer pauses than Silero's own defaults before a region ends (500 ms,
 * not 100), so a breath inside a sentence does not cut it, and 200 ms of padding (Silero: 30 ms), so soft word
 * onsets and endings stay in the chunk. On the eval set's 10 min clip (54 % speech by the truth) this keeps 65 %
 * of the audio for the engine; 300 ms of padding would keep 70 %, Silero's defaults 56 % (bench/vad, README).
 */
export const AUTO_VAD: VadSettings = {
  enabled: true,
  strategy: 'auto',
  regions: { ...SILERO_REFERENCE_DEFAULTS, threshold: 0.5, minSilenceMs: 500, speechPadMs: 200, maxSpeechSeconds: MAX_CHUNK_SECONDS },
  maxChunkSeconds: MAX_CHUNK_SECONDS,
};

/** OpenAI's documented defaults for the fields of `server_vad` a caller leaves out. */
export const SERVER_VAD_DEFAULTS = { threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200 } as const;
const SERVER_VAD_LIMITS = { threshold: [0, 1], prefix_padding_ms: [0, 2000], silence_duration_ms: [0, 10_000] } as const;
type ServerVadKey = keyof typeof SERVER_VAD_LIMITS;
const SERVER_VAD_KEYS = Object.keys(SERVER_VAD_LIMITS) as ServerVadKey[];
/** A JSON chunking_strategy is a few dozen bytes; a longer one is not worth parsing. */
const MAX_JSON_CHARS = 1024;

type Fields = Record<string, unknown>;

/**
 * The VAD settings of a request, from OpenAI's `chunking_strategy` and our `vad` switch. VAD is on unless `vad`
 * is false. `chunking_strategy` arrives as `"auto"`, as a JSON string (curl, multipart), as an object (JSON
 * bodies) or as `chunking_strategy[key]` fields (OpenAI's SDKs flatten objects in multipart forms).
 * Every invalid value is INVALID_OPTION with `param` naming the field (e.g. `chunking_strategy.threshold`).
 */
export function parseVadOptions(fields: Fields): VadSettings {
  const vad = vadSwitch(fields['vad']);
  const strategy = chunkingStrategy(fields);
  if (vad === false) {
    if (strategy !== undefined) throw invalid('vad', 'vad=false turns speech detection off; do not send chunking_strategy with it.');
    return { enabled: false };
  }
  if (strategy === undefined || strategy === 'auto') return AUTO_VAD;
  return serverVad(strategy);
}

function vadSwitch(raw: unknown): boolean | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === true || raw === false) return raw;
  if (typeof raw === 'string') {
    const value = raw.trim().toLowerCase();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
  }
  throw invalid('vad', `vad must be true or false; got ${describe(raw)}.`);
}

/** undefined when absent, 'auto', or the server_vad object (not yet validated). */
function chunkingStrategy(fields: Fields): 'auto' | Record<string, unknown> | undefined {
  const flattened = Object.keys(fields).filter((key) => key.startsWith('chunking_strategy['));
  const raw = fields['chunking_strategy'];
  if (flattened.length > 0) {
    if (raw !== undefined) throw invalid('chunking_strategy', 'chunking_strategy was sent both whole and as chunking_strategy[…] fields.');
    return Object.fromEntries(flattened.map((key) => [key.slice('chunking_strategy['.length, -1), fields[key]]));
  }
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (Array.isArray(raw)) throw invalid('chunking_strategy', 'chunking_strategy was sent more than once.');
  if (typeof raw === 'object') return raw as Record<string, unknown>;
  if (typeof raw !== 'string') throw invalid('chunking_strategy', `chunking_strategy must be "auto" or a server_vad object; got ${describe(raw)}.`);
  const text = raw.trim();
  if (text === 'auto') return 'auto';
  if (!text.startsWith('{') || text.length > MAX_JSON_CHARS) {
    throw invalid('chunking_strategy', `chunking_strategy must be "auto" or a server_vad object; got ${describe(raw)}.`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalid('chunking_strategy', 'chunking_strategy is not a valid JSON object.');
}

function serverVad(strategy: Record<string, unknown>): VadSettings {
  if (strategy['type'] !== 'server_vad') {
    throw invalid('chunking_strategy.type', `chunking_strategy.type must be "server_vad"; got ${describe(strategy['type'])}.`);
  }
  const unknown = Object.keys(strategy).find((key) => key !== 'type' && !(SERVER_VAD_KEYS as string[]).includes(key));
  if (unknown !== undefined) {
    throw invalid(`chunking_strategy.${unknown.slice(0, 40)}`, `chunking_strategy has no field "${unknown.slice(0, 40)}"; fields: type, ${SERVER_VAD_KEYS.join(', ')}.`);
  }
  const value = (key: ServerVadKey): number => {
    const raw = strategy[key];
    if (raw === undefined || raw === null || raw === '') return SERVER_VAD_DEFAULTS[key];
    const number = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    const [min, max] = SERVER_VAD_LIMITS[key];
    const integer = key !== 'threshold';
    if (!Number.isFinite(number) || number < min || number > max || (integer && !Number.isInteger(number))) {
      throw invalid(`chunking_strategy.${key}`, `chunking_strategy.${key} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}; got ${describe(raw)}.`);
    }
    return number;
  };
  return {
    enabled: true,
    strategy: 'server_vad',
    // Only the caller's three knobs change; min speech and the 30 s cap stay ours.
    regions: {
      ...AUTO_VAD_REGIONS,
      threshold: value('threshold'),
      speechPadMs: value('prefix_padding_ms'),
      minSilenceMs: value('silence_duration_ms'),
    },
    maxChunkSeconds: MAX_CHUNK_SECONDS,
  };
}

const AUTO_VAD_REGIONS = (AUTO_VAD as Extract<VadSettings, { enabled: true }>).regions;

function describe(raw: unknown): string {
  const text = typeof raw === 'string' ? `"${raw}"` : raw === undefined ? 'nothing' : typeof raw === 'object' ? typeof raw : String(raw);
  return text.length > 42 ? `${text.slice(0, 40)}…` : text;
}

function invalid(param: string, message: string): DomainError {
  return new DomainError('INVALID_OPTION', message, { param });
}
