import type { SpeechRegionOptions } from '../speech-regions';

/** Our region options under the names silero-vad's get_speech_timestamps takes (for bench/vad/silero_reference.py). */
export function toReferenceOptions(o: SpeechRegionOptions): Record<string, number | null> {
  return {
    threshold: o.threshold,
    neg_threshold: o.negThreshold ?? null,
    min_speech_duration_ms: o.minSpeechMs,
    min_silence_duration_ms: o.minSilenceMs,
    speech_pad_ms: o.speechPadMs,
    max_speech_duration_s: Number.isFinite(o.maxSpeechSeconds) ? o.maxSpeechSeconds : null,
  };
}
