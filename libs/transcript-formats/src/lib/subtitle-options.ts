/**
 * Line and timing rules for SRT/VTT. Defaults follow common broadcast guidelines (EBU-TT-D / BBC subtitle
 * guidelines, Netflix timed-text style guide): at most 42 characters a line, 2 lines a cue, 7 seconds a cue, and
 * 2 frames between cues (80 ms at 25 fps) so a player shows a visible change between consecutive cues.
 */
export interface SubtitleRules {
  /** Characters per line (Unicode code points of the visible text). */
  readonly maxLineWidth: number;
  /** Lines per cue. */
  readonly maxLineCount: number;
  /** Seconds a cue stays on screen at most. */
  readonly maxCueDuration: number;
  /** Seconds between the end of a cue and the start of the next at least. */
  readonly minCueGap: number;
  /** WebVTT only: each word carries its start time (karaoke-style highlighting); SRT has no such form and ignores it. */
  readonly highlightWords: boolean;
}

/** What a request may set; anything left out takes the default. */
export type SubtitleOptions = Partial<SubtitleRules>;

export const SUBTITLE_DEFAULTS: SubtitleRules = {
  maxLineWidth: 42,
  maxLineCount: 2,
  maxCueDuration: 7,
  minCueGap: 0.08,
  highlightWords: false,
};

/** Accepted ranges; outside them a request is refused rather than clamped. */
export const SUBTITLE_LIMITS = {
  maxLineWidth: { min: 10, max: 200, integer: true },
  maxLineCount: { min: 1, max: 10, integer: true },
  maxCueDuration: { min: 1, max: 60, integer: false },
  minCueGap: { min: 0, max: 2, integer: false },
} as const;

/** The request field (snake_case, as on the wire) of each rule. */
export const SUBTITLE_FIELDS = {
  maxLineWidth: 'max_line_width',
  maxLineCount: 'max_line_count',
  maxCueDuration: 'max_cue_duration',
  minCueGap: 'min_cue_gap',
  highlightWords: 'highlight_words',
} as const satisfies Record<keyof SubtitleRules, string>;

export function resolveSubtitleRules(options: SubtitleOptions): SubtitleRules {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...SUBTITLE_DEFAULTS, ...defined };
}

/** True when a request asked for any subtitle rule, i.e. wants cues built by the rules instead of one per segment. */
export function hasSubtitleOptions(options: SubtitleOptions | undefined): options is SubtitleOptions {
  return options !== undefined && Object.values(options).some((value) => value !== undefined);
}

export interface SubtitleOptionError {
  /** The request field, e.g. `max_line_width`. */
  readonly param: string;
  readonly message: string;
}

export type SubtitleOptionsParse = { readonly ok: true; readonly options: SubtitleOptions } | { readonly ok: false; readonly error: SubtitleOptionError };

type NumericRule = keyof typeof SUBTITLE_LIMITS;

/**
 * Reads the subtitle fields of a form or query (strings, as multipart and query strings carry them; numbers and
 * booleans are accepted too, as a stored job's options hold them). Other fields are ignored; fields not sent stay
 * undefined; an empty string counts as not sent.
 */
export function parseSubtitleOptions(source: object): SubtitleOptionsParse {
  const fields = source as Readonly<Record<string, unknown>>;
  const options: { -readonly [K in keyof SubtitleRules]?: SubtitleRules[K] } = {};
  for (const rule of Object.keys(SUBTITLE_LIMITS) as NumericRule[]) {
    const param = SUBTITLE_FIELDS[rule];
    const raw = scalar(fields[param]);
    if (raw === undefined) continue;
    const { min, max, integer } = SUBTITLE_LIMITS[rule];
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (Array.isArray(fields[param]) || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      const kind = integer ? 'a whole number' : 'a number';
      return refuse(param, `${param} must be ${kind} from ${min} to ${max}; got "${shown(fields[param])}".`);
    }
    options[rule] = value;
  }
  const highlight = fields[SUBTITLE_FIELDS.highlightWords];
  const raw = scalar(highlight);
  if (raw !== undefined) {
    const text = String(raw).toLowerCase();
    if (Array.isArray(highlight) || !['true', 'false', '1', '0'].includes(text)) {
      return refuse(SUBTITLE_FIELDS.highlightWords, `highlight_words must be true or false; got "${shown(highlight)}".`);
    }
    options.highlightWords = text === 'true' || text === '1';
  }
  return { ok: true, options };
}

/** The wire form of options (for job records and query strings), only the fields that are set. */
export function subtitleOptionsToFields(options: SubtitleOptions): Record<string, number | boolean> {
  const fields: Record<string, number | boolean> = {};
  for (const [rule, param] of Object.entries(SUBTITLE_FIELDS) as Array<[keyof SubtitleRules, string]>) {
    const value = options[rule];
    if (value !== undefined) fields[param] = value;
  }
  return fields;
}

function scalar(value: unknown): string | number | boolean | undefined {
  if (Array.isArray(value)) return value.length === 0 ? undefined : String(value);
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
}

function refuse(param: string, message: string): SubtitleOptionsParse {
  return { ok: false, error: { param, message } };
}

function shown(value: unknown): string {
  const text = Array.isArray(value) ? value.map(String).join(',') : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
