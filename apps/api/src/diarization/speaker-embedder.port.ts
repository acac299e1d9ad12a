/**
 * Turns one stretch of speech into L2-normalised speaker embeddings, one per window inside it. The encoder runs
 * once over the stretch's filter bank and pools its frame-level output per window, so windows that overlap 4× cost one
 * pass, not four. The abstract class is its own DI token.
 */
export abstract class SpeakerEmbedder {
  /**
   * `fbank`: `frames` × FBANK_BANDS log-mel values (kaldi-fbank.ts), band means removed, frame-major. `windows`:
   * ranges of the encoder's output frames (encoderFrames(): ENCODER_FRAMES_PER_SECOND) to pool, `to` exclusive.
   */
  abstract embed(fbank: Float32Array, frames: number, windows: readonly EncoderFrameRange[]): Promise<Float32Array[]>;
  abstract close(): Promise<void>;
}

export interface EncoderFrameRange {
  readonly from: number;
  readonly to: number;
}

/** CAM++'s first TDNN layer strides by 2, so its frame-level output runs at half the filter bank's 100 frames/s. */
export const ENCODER_FRAMES_PER_SECOND = 50;

/** Output frames of the encoder for `fbankFrames` input frames (kernel 5, padding 2, stride 2). */
export function encoderFrames(fbankFrames: number): number {
  return Math.floor((fbankFrames - 1) / 2) + 1;
}
