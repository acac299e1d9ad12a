import type { AudioWarning, TranscriptionResult, TranscriptSegment, TranscriptWord } from '@speech/contracts';

/**
 * Whatever the engine, clients get: segments ordered, numbered from 0 and inside [0, duration];
 * `text` joined from the segments; words only when asked for.
 */
export function tidyResult(result: TranscriptionResult, duration: number, wantWords: boolean): TranscriptionResult {
  const clamp = (value: number) => Math.min(Math.max(value, 0), duration);
  const segments = [...result.segments]
    .sort((a, b) => a.start - b.start)
    .map(({ words, ...segment }, id) => {
      const start = clamp(segment.start);
      const tidied: TranscriptSegment = { ...segment, id, start, end: Math.max(start, clamp(segment.end)) };
      if (wantWords && words) tidied.words = words.map((word) => clampWord(word, clamp));
      return tidied;
    });
  const text = segments.map((segment) => segment.text).join('').trim();
  const tidy: TranscriptionResult = { text, language: result.language, duration, segments };
  if (wantWords) tidy.words = segments.flatMap((segment) => segment.words ?? []);
  return tidy;
}

function clampWord(word: TranscriptWord, clamp: (value: number) => number): TranscriptWord {
  const start = clamp(word.start);
  return { ...word, start, end: Math.max(start, clamp(word.end)) };
}

/** Warnings about the audio (e.g. AUDIO_PARTLY_DAMAGED) travel with the result; none → no `warnings` field. */
export function withWarnings(result: TranscriptionResult, warnings: readonly AudioWarning[]): TranscriptionResult {
  return warnings.length === 0 ? result : { ...result, warnings: [...warnings] };
}
