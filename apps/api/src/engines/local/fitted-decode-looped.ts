import { repeatsItself } from './repeats-itself';
import type { ResultEvent } from './worker-protocol';

/**
 * Whether a decode with the encoder fitted to the audio (audio_ctx) went into a loop instead of transcribing: its text
 * repeats itself ("Message from extension. Message from extension." for a 1.8 s clip). tiny.en does this on a shortened
 * window now and then; the full 30 s window, which it was trained on, does not. Where the last segment ends is no
 * sign: on a turn cut mid-word the fitted window often closes it seconds past the audio with the right text.
 * A decode the worker stopped at its token budget (window-token-budget.ts) was running away: the same failure.
 */
export function fittedDecodeLooped(event: ResultEvent, durationSeconds: number): boolean {
  return event.token_budget_exceeded === true || repeatsItself(event.segments.map((segment) => segment.text).join(' '), durationSeconds);
}
