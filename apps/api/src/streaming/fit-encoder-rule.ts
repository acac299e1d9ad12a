import type { RealtimeConfig } from '../config/realtime-config';
import type { TranscribeOptions } from '../pipeline/transcribe-options';

/** What a realtime decode asks of the encoder: the transcription options' encoder fields, the switch always set. */
export type TurnEncoderWindow = Required<Pick<TranscribeOptions, 'fitEncoderToAudio'>> & Pick<TranscribeOptions, 'fitEncoderMinSeconds' | 'fitEncoderLoopRetry'>;

/** The full 30 s window: what Whisper was trained on. */
const FULL_WINDOW_SECONDS = 30;

type FitRule = Pick<RealtimeConfig, 'fitPartials' | 'fitFinalMinSeconds' | 'fitFinalMaxSeconds' | 'shortFinalWindowSeconds'>;

/**
 * The encoder window of a realtime decode: Whisper's full 30 s window, or one fitted to the turn's audio (audio_ctx).
 * Partials: REALTIME_FIT_PARTIALS (their text only feeds the deltas, and they decide how soon the first one comes).
 * Finals: turns between REALTIME_FIT_FINAL_MIN_SECONDS and _MAX_SECONDS get a window of their length plus a second.
 * Below the minimum tiny.en loses words on such a window that it keeps on the full one (bench/realtime-fit-window.ts,
 * en/short clips, whisper.cpp with its padding rows masked, Dec 4: 226 clips under 2 s 16.5 % WER fitted vs 14.3 %
 * full; 3–4 s equal; 2–3 s and 4–6 s within a word of the full window), so short turns get a wider floor
 * (REALTIME_SHORT_FINAL_WINDOW_SECONDS): 25.6 s (1280 frames) scored 15.0 % at 364 ms a decode, 20.48 s 15.8 % at
 * 276 ms, the full window 494 ms. While other finals wait for the engine (`load.finalsWaiting`), a short turn's final
 * gets its own length plus a second after all: there each final's cost is the next one's wait.
 */
export function encoderWindowForTurn(kind: 'partial' | 'final', seconds: number, rule: FitRule, load: { finalsWaiting: number } = { finalsWaiting: 0 }): TurnEncoderWindow {
  // A partial that loops is dropped, not decoded again in full: its text only feeds deltas, and a full-window redo
  // held the engine ~0.5 s that the next final then waited for (bench/realtime.ts counted 5 in one run).
  if (kind === 'partial') return rule.fitPartials ? { fitEncoderToAudio: true, fitEncoderLoopRetry: false } : { fitEncoderToAudio: false };
  if (rule.fitFinalMaxSeconds <= 0 || seconds > rule.fitFinalMaxSeconds) return { fitEncoderToAudio: false };
  if (seconds >= rule.fitFinalMinSeconds) return { fitEncoderToAudio: true };
  // Under load the floor goes: with other finals waiting, each short final's 0.36 s is queueing time for the next.
  // bench/realtime.ts, 4 staggered sessions, 8 rounds (211 turns): end of speech → completed p95 1260 ms with the
  // floor always, 677 and 755 ms (two runs) without it under load; streamed WER 6.9 → 6.8 % (file: 5.1 %).
  if (load.finalsWaiting > 0) return { fitEncoderToAudio: true };
  if (rule.shortFinalWindowSeconds >= FULL_WINDOW_SECONDS) return { fitEncoderToAudio: false };
  return { fitEncoderToAudio: true, fitEncoderMinSeconds: rule.shortFinalWindowSeconds };
}
