/** A stretch of the original audio, in seconds. Speech regions, embedding windows and speaker turns all use it. */
export interface TimeSpan {
  readonly start: number;
  readonly end: number;
}

export interface SpeakerTurn extends TimeSpan {
  /** "A", "B", … in order of first appearance (OpenAI's diarized_json labels), or a known speaker's name. */
  readonly speaker: string;
}

export function overlap(a: TimeSpan, b: TimeSpan): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** "A" … "Z", then "AA", "AB", …: spreadsheet-style, so any number of speakers gets a short, stable label. */
export function speakerLabel(index: number): string {
  let label = '';
  let n = index;
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}
