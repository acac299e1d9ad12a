import type { RealtimeConfig } from '../config/realtime-config';

/**
 * Whether a realtime decode runs Whisper's encoder over the turn's audio only (audio_ctx fitted to it) instead of the
 * full 30 s window. Partials: REALTIME_FIT_PARTIALS (their text only feeds the deltas, and they decide how soon the
 * first one comes). Finals: turns between REALTIME_FIT_FINAL_MIN_SECONDS and _MAX_SECONDS. Below the minimum tiny.en
 * loses words on a fitted window that it keeps on the full one (bench/realtime-fit-window.ts, 250 en/short clips,
 * Dec 4: clips under 2 s 14.4 % WER fitted vs 9.0 % full, and a window of at least 1024 frames still 12.3 %; from
 * 2 s on within noise of the full window), so short turns pay the full window's ~0.45 s instead.
 */
export function fitsEncoderToTurn(kind: 'partial' | 'final', seconds: number, rule: Pick<RealtimeConfig, 'fitPartials' | 'fitFinalMinSeconds' | 'fitFinalMaxSeconds'>): boolean {
  if (kind === 'partial') return rule.fitPartials;
  return rule.fitFinalMaxSeconds > 0 && seconds >= rule.fitFinalMinSeconds && seconds <= rule.fitFinalMaxSeconds;
}
