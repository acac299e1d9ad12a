/** A word placed in time, in whole milliseconds. */
export interface TimedWord {
  readonly text: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Who said it, when the transcript was diarized. */
  readonly speaker?: string;
}

/** One subtitle cue: its lines as shown, and its words when the cue was built from word timings. */
export interface Cue {
  readonly startMs: number;
  readonly endMs: number;
  readonly lines: readonly string[];
  /** The words of each line with their times, when the cue was built from words (absent: one cue per segment). */
  readonly wordLines?: ReadonlyArray<readonly TimedWord[]>;
  /** Who speaks in the cue, when the transcript was diarized (a cue never spans two speakers). */
  readonly speaker?: string;
}
