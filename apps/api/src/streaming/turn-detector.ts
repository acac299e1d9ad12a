import { VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from '../vad/speech-detector.port';

/** OpenAI's server_vad settings (the same names and defaults as its Realtime sessions). */
export interface TurnSettings {
  /** Speech probability at which speech starts. */
  readonly threshold: number;
  /** Audio kept before the detected start of speech. */
  readonly prefixPaddingMs: number;
  /** Silence that ends a turn. */
  readonly silenceDurationMs: number;
}

export const SERVER_VAD_TURN_DEFAULTS: TurnSettings = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 };

export type TurnEvent =
  | { readonly kind: 'start'; readonly atSample: number }
  /** `atSample`: where the silence began (or the cut, when the turn reached its longest). */
  | { readonly kind: 'stop'; readonly atSample: number; readonly forced: boolean };

/**
 * Turns from a stream of Silero frame probabilities (32 ms frames of 16 kHz audio), as Silero's own iterator decides
 * them: speech starts at the first frame at or above `threshold`; it ends once frames below `threshold − 0.15` have
 * lasted `silenceDurationMs` (frames in between neither start nor break a silence). A turn that reaches
 * `maxTurnSamples` is cut there, so no decode ever gets more than one Whisper window; speech that goes on starts a
 * new turn at the next frame.
 */
export class TurnDetector {
  private frame = 0;
  private speechStart: number | null = null;
  private silenceStart: number | null = null;
  private readonly threshold: number;
  private readonly negativeThreshold: number;
  private readonly silenceSamples: number;

  constructor(
    settings: TurnSettings,
    private readonly maxTurnSamples: number,
  ) {
    this.negativeThreshold = Math.max(settings.threshold - 0.15, 0.01);
    this.threshold = settings.threshold;
    this.silenceSamples = Math.round((settings.silenceDurationMs * VAD_SAMPLE_RATE) / 1000);
  }

  get speaking(): boolean {
    return this.speechStart !== null;
  }

  /** Sample where the current turn's speech started, or null between turns. */
  get turnStart(): number | null {
    return this.speechStart;
  }

  /**
   * Sample where the silence inside the current turn began, or null while speech goes on (or between turns): a turn
   * ends here if the silence lasts, so a caller can start work on the turn before the end is certain.
   */
  get silenceSince(): number | null {
    return this.speechStart === null ? null : this.silenceStart;
  }

  /** The next frame's probability; returns what it changed. */
  push(probability: number): TurnEvent | null {
    const start = this.frame * VAD_FRAME_SAMPLES;
    const end = start + VAD_FRAME_SAMPLES;
    this.frame += 1;
    if (this.speechStart === null) {
      if (probability < this.threshold) return null;
      this.speechStart = start;
      this.silenceStart = null;
      return { kind: 'start', atSample: start };
    }
    if (probability >= this.threshold) this.silenceStart = null;
    else if (probability < this.negativeThreshold) this.silenceStart ??= start;
    if (this.silenceStart !== null && end - this.silenceStart >= this.silenceSamples) {
      const atSample = this.silenceStart;
      this.speechStart = this.silenceStart = null;
      return { kind: 'stop', atSample, forced: false };
    }
    if (end - this.speechStart >= this.maxTurnSamples) {
      this.speechStart = this.silenceStart = null;
      return { kind: 'stop', atSample: end, forced: true };
    }
    return null;
  }

  /** Forget the current turn (input_audio_buffer.clear); frames keep their numbers. */
  reset(): void {
    this.speechStart = this.silenceStart = null;
  }
}
