/** Words in a run that, said twice in one short turn, mark a decoder loop rather than speech. */
const MIN_REPEATED_WORDS = 3;
/**
 * A loop says a run again at once or within a few words ("press one to enter a number. Press 1 to enter a number.",
 * "au au au au"), or writes a whole sentence again, maybe with another between ("Press 2 to change folders. Press 3
 * for options. Press 2 to change folders."). Speech repeats phrases further apart inside other sentences: a 17 s
 * menu says "…to kick all non-administrator users. 3 to mute or unmute all non-administrator users", 8 words apart,
 * which the rule before this one took for a loop and decoded again in full (bench/realtime.ts, 4 sessions).
 */
const LOOP_GAP_WORDS = 3;
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
 * Whether a turn's text looks like Whisper looping instead of listening: a run of at least three words said twice at
 * most LOOP_GAP_WORDS apart, a sentence of at least three words written twice, or more words than the audio's length
 * allows. A shortened encoder window (audio_ctx fitted to the turn) makes tiny.en write a short sentence two or three
 * times ("Message from extension. Message from extension."); a caller that sees this decodes the turn again with the
 * full window, which costs time, never text, on a false alarm.
 */
export function repeatsItself(text: string, durationSeconds: number): boolean {
  const tokens = words(text);
  if (tokens.length > RATE_GRACE_WORDS + MAX_WORDS_PER_SECOND * durationSeconds) return true;
  return runRepeatedNearby(tokens) || sentenceWrittenTwice(text);
}

function runRepeatedNearby(tokens: readonly string[]): boolean {
  const lastSeenAt = new Map<string, number>();
  for (let at = 0; at + MIN_REPEATED_WORDS <= tokens.length; at += 1) {
    const run = tokens.slice(at, at + MIN_REPEATED_WORDS).join(' ');
    const before = lastSeenAt.get(run);
    // Overlapping runs ("a a a a") count too: a word looping on itself is the same failure.
    if (before !== undefined && at - before <= MIN_REPEATED_WORDS + LOOP_GAP_WORDS) return true;
    lastSeenAt.set(run, at);
  }
  return false;
}

function sentenceWrittenTwice(text: string): boolean {
  const seen = new Set<string>();
  for (const sentence of text.split(/[.!?]+(?:\s|$)/)) {
    const sentenceWords = words(sentence);
    if (sentenceWords.length < MIN_REPEATED_WORDS) continue;
    const key = sentenceWords.join(' ');
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}
