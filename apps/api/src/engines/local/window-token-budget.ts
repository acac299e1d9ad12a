/** Fast speech is ~4 words a second, ~7 tokens with punctuation and segment timestamps; this leaves ~1.7× room. */
const TOKENS_PER_SECOND = 12;
/** Room for a short turn's timestamps and a name or a number spelled in many tokens. */
const BASE_TOKENS = 16;
/** whisper.cpp's own limit per window (half the text context, less the prompt's 4): a budget past it changes nothing. */
const WHISPER_WINDOW_TOKENS = 220;

/**
 * Most tokens a fitted window's decode may write for audio this long (the worker's `max_window_tokens`). A decoder
 * loop on a shortened window ("Follow.au.au.au…" for a 1.9 s turn) otherwise writes whisper.cpp's whole ~220 tokens,
 * 1.5 s of CPU on 2 cores, before the caller can see that it looped; past the budget the worker stops it, and the
 * caller treats it like any loop (fitted-decode-looped.ts). Undefined when the budget would not bind.
 */
export function windowTokenBudget(seconds: number): number | undefined {
  const budget = Math.ceil(BASE_TOKENS + TOKENS_PER_SECOND * Math.max(seconds, 0));
  return budget < WHISPER_WINDOW_TOKENS ? budget : undefined;
}
