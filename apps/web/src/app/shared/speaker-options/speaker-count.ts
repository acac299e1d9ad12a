import { MAX_SPEAKERS, type SpeakerRequest } from '../../core/api/pipeline-fields';

export const COUNT_MODES = ['auto', 'exact', 'range'] as const;
export type CountMode = (typeof COUNT_MODES)[number];

/** The raw fields of the speaker count form, as typed. */
export interface CountFields {
  readonly exact: string;
  readonly min: string;
  readonly max: string;
}

export type CountField = keyof CountFields;

export type SpeakerCountParse =
  | { readonly ok: true; readonly request: SpeakerRequest }
  | { readonly ok: false; readonly field: CountField; readonly fallback: SpeakerRequest };

/**
 * The speaker request for a count mode, checked by the API's rules (whole numbers 1 to MAX_SPEAKERS, min ≤ max) so a
 * mistake shows beside the field instead of as a refused upload. When invalid, `fallback` is the request that still
 * diarizes: the count is left to the API's estimate.
 */
export function parseSpeakerCount(mode: CountMode, fields: CountFields): SpeakerCountParse {
  const fallback: SpeakerRequest = {};
  if (mode === 'auto') return { ok: true, request: fallback };
  if (mode === 'exact') {
    const count = whole(fields.exact);
    return count === undefined || count === 'invalid' ? { ok: false, field: 'exact', fallback } : { ok: true, request: { count } };
  }
  const min = whole(fields.min);
  const max = whole(fields.max);
  if (min === 'invalid') return { ok: false, field: 'min', fallback };
  if (max === 'invalid') return { ok: false, field: 'max', fallback };
  if (min !== undefined && max !== undefined && min > max) return { ok: false, field: 'min', fallback };
  return { ok: true, request: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } };
}

/** undefined for an empty field. */
function whole(text: string): number | 'invalid' | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 && value <= MAX_SPEAKERS ? value : 'invalid';
}
