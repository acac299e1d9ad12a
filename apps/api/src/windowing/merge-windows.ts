import type { TranscriptionResult, TranscriptSegment, TranscriptWord } from '@speech/contracts';
import { tidyResult } from '../pipeline/tidy-result';
import type { AudioWindow } from './silence-splitter';

export interface WindowResult {
  readonly window: AudioWindow;
  /** Times relative to the window's start, as the engine returned them. */
  readonly result: TranscriptionResult;
}

/**
 * One transcript from per-window results. Windows were cut at silences and do not overlap, so every word
 * belongs to exactly one window: merging is shifting each window's times by its exact start offset (in
 * samples, so no rounding drifts across 4 hours) after clamping them inside the window.
 */
export function mergeWindowResults(parts: readonly WindowResult[], totalDuration: number, wantWords: boolean): TranscriptionResult {
  const ordered = [...parts].sort((a, b) => a.window.index - b.window.index);
  const segments: TranscriptSegment[] = ordered.flatMap(({ window, result }) =>
    result.segments.map((segment) => shiftSegment(segment, window)),
  );
  const merged: TranscriptionResult = {
    text: '',
    language: dominantLanguage(ordered),
    duration: totalDuration,
    segments,
  };
  return tidyResult(merged, totalDuration, wantWords);
}

function shiftSegment(segment: TranscriptSegment, window: AudioWindow): TranscriptSegment {
  const shift = (time: number) => window.startSeconds + Math.min(Math.max(time, 0), window.durationSeconds);
  const shifted: TranscriptSegment = { ...segment, start: shift(segment.start), end: shift(segment.end) };
  if (segment.words) {
    shifted.words = segment.words.map((word): TranscriptWord => ({ ...word, start: shift(word.start), end: shift(word.end) }));
  }
  return shifted;
}

/** The language spoken in most of the audio (per-window detection can differ on music or silence). */
function dominantLanguage(parts: readonly WindowResult[]): string {
  const seconds = new Map<string, number>();
  for (const { window, result } of parts) {
    seconds.set(result.language, (seconds.get(result.language) ?? 0) + window.durationSeconds);
  }
  let best = parts[0]?.result.language ?? 'en';
  for (const [language, total] of seconds) if (total > (seconds.get(best) ?? 0)) best = language;
  return best;
}
