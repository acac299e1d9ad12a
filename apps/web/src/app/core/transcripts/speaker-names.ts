import type { TranscriptionResult, TranscriptWord } from '@speech/contracts';

/** Names a person gave to diarized speakers: the API's speaker value ("A", "B", …) → the name to show and write. */
export type SpeakerNames = Readonly<Record<string, string>>;

/** The API's bound on a speaker name (known_speaker_names); longer names would not round-trip through it. */
export const MAX_SPEAKER_NAME_CHARS = 64;

export function hasSpeakerNames(names: SpeakerNames): boolean {
  return Object.keys(names).length > 0;
}

/**
 * A copy of the result with every renamed `speaker` value (segments and words) replaced by its name. Downloads are
 * made from this copy with the same formatters the API uses, so they are byte-identical to what the API writes when
 * it labels the speakers with these names itself. The original result is left alone.
 */
export function withSpeakerNames(result: TranscriptionResult, names: SpeakerNames): TranscriptionResult {
  if (!hasSpeakerNames(names)) return result;
  const rename = <T extends { speaker?: string }>(item: T): T =>
    item.speaker !== undefined && Object.hasOwn(names, item.speaker) ? { ...item, speaker: names[item.speaker] } : item;
  const renameWords = (words: TranscriptWord[] | undefined) => words?.map(rename);
  return {
    ...result,
    segments: result.segments.map((segment) => {
      const renamed = rename(segment);
      return segment.words ? { ...renamed, words: renameWords(segment.words) } : renamed;
    }),
    ...(result.words ? { words: renameWords(result.words) } : {}),
  };
}

/** The names after renaming `speaker` to `name`: a blank name (or the speaker's own value) removes the rename. */
export function renamed(names: SpeakerNames, speaker: string, name: string): SpeakerNames {
  const clean = name.trim().slice(0, MAX_SPEAKER_NAME_CHARS);
  const next: Record<string, string> = { ...names };
  if (!clean || clean === speaker) delete next[speaker];
  else next[speaker] = clean;
  return next;
}
