/** Words in a run that, said twice in one short turn, mark a decoder loop rather than speech. */
const MIN_REPEATED_WORDS = 3;
/** More words a second than people say (fast speech is ~4); a decoder loop writes far more. */
const MAX_WORDS_PER_SECOND = 6;
/** Short turns are judged by words, not rate: "yes yes yes" in half a second is speech. */
const RATE_GRACE_WORDS = 4;

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);

/**
 * Whether a turn's text looks like Whisper looping instead of listening: a run of at least three words said twice,
 * or more words than the audio's length allows. A shortened encoder window (audio_ctx fitted to the turn) makes
 * tiny.en write a short sentence two or three times ("Message from extension. Message from extension."); a caller
 * that sees this decodes the turn again with the full window, which costs time, never text, on a false alarm.
 */
export function repeatsItself(text: string, durationSeconds: number): boolean {
  const tokens = words(text);
  if (tokens.length > RATE_GRACE_WORDS + MAX_WORDS_PER_SECOND * durationSeconds) return true;
  const seen = new Set<string>();
  for (let at = 0; at + MIN_REPEATED_WORDS <= tokens.length; at += 1) {
    const run = tokens.slice(at, at + MIN_REPEATED_WORDS).join(' ');
    // Overlapping runs ("a a a a") count too: a word looping on itself is the same failure.
    if (seen.has(run)) return true;
    seen.add(run);
  }
  return false;
}
