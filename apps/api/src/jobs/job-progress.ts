import type { AudioWindow } from '../windowing/silence-splitter';

/**
 * Progress and ETA of one job attempt, from audio seconds: windows already done (this attempt or an
 * earlier one) plus the running window's share. The ETA uses only the speed measured in this attempt.
 */
export class JobProgress {
  private doneSeconds = 0;
  private processedThisAttempt = 0;
  private readonly startedAt = Date.now();

  constructor(private readonly totalSeconds: number) {}

  windowDone(window: AudioWindow, reused: boolean): void {
    this.doneSeconds += window.durationSeconds;
    if (!reused) this.processedThisAttempt += window.durationSeconds;
  }

  /** `fraction` of `window` is done on top of the finished windows. */
  snapshot(window?: AudioWindow, fraction = 0): { progress: number; etaSeconds: number | null } {
    const running = window ? window.durationSeconds * Math.min(Math.max(fraction, 0), 1) : 0;
    const done = Math.min(this.doneSeconds + running, this.totalSeconds);
    const progress = this.totalSeconds > 0 ? done / this.totalSeconds : 0;
    const elapsed = (Date.now() - this.startedAt) / 1000;
    const processed = this.processedThisAttempt + running;
    // Too little measured to say anything honest yet.
    if (processed <= 0 || elapsed < 0.5) return { progress, etaSeconds: null };
    return { progress, etaSeconds: ((this.totalSeconds - done) * elapsed) / processed };
  }
}
