/** A worker that stayed up this long is healthy again: the next crash restarts without back-off. */
export const STABLE_AFTER_MS = 30_000;
/** Consecutive deaths before ready that end the restart loop (a model that cannot load will not load). */
export const MAX_FAILED_STARTS = 3;

export interface BackoffLimits {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** What the supervisor knows when a worker it did not mean to stop has exited. */
export interface ExitFacts {
  /** The worker reported a fatal error (e.g. the model cannot be loaded): restarting would fail the same way. */
  fatal: boolean;
  /** The worker had loaded its model before it died. */
  wasReady: boolean;
  livedMs: number;
  /** Deaths before ready in a row, not counting this one. */
  failedStarts: number;
  /** The delay the next restart would wait. */
  backoffMs: number;
}

export type ExitDecision =
  | { kind: 'give-up'; why: 'fatal' | 'cannot-start'; failedStarts: number }
  | { kind: 'restart'; delayMs: number; nextBackoffMs: number; failedStarts: number };

/**
 * Restart or give up after an unplanned exit: a fatal report or MAX_FAILED_STARTS deaths before ready in a row
 * give up; otherwise restart after the current back-off (reset first if the worker had been up STABLE_AFTER_MS),
 * doubling it for the next crash up to the maximum.
 */
export function decideAfterExit(facts: ExitFacts, limits: BackoffLimits): ExitDecision {
  if (facts.fatal) return { kind: 'give-up', why: 'fatal', failedStarts: facts.failedStarts };
  const failedStarts = facts.wasReady ? facts.failedStarts : facts.failedStarts + 1;
  if (!facts.wasReady && failedStarts >= MAX_FAILED_STARTS) return { kind: 'give-up', why: 'cannot-start', failedStarts };
  const delayMs = facts.livedMs >= STABLE_AFTER_MS ? limits.initialBackoffMs : facts.backoffMs;
  return { kind: 'restart', delayMs, nextBackoffMs: Math.min(delayMs * 2, limits.maxBackoffMs), failedStarts };
}
