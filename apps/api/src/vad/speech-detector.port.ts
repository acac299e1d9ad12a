/** Silero works on 16 kHz audio in frames of 512 samples (32 ms); every VAD runtime here uses the same framing. */
export const VAD_SAMPLE_RATE = 16_000;
export const VAD_FRAME_SAMPLES = 512;

/**
 * One pass over one recording: frames must be fed in order, because the model carries state (and 64 samples of
 * context) from one frame to the next. Not shareable between recordings.
 */
export interface SpeechFrameScorer {
  /** Speech probabilities of consecutive frames; `samples.length` must be a multiple of VAD_FRAME_SAMPLES. */
  score(samples: Float32Array): Promise<Float32Array>;
}

/**
 * The port: a loaded VAD model that can open any number of independent passes. The adapter (Silero on
 * onnxruntime-node today; whisper.cpp's whisper_vad_* could be another) is chosen when the app is built.
 */
export abstract class SpeechDetector {
  /** A fresh pass with zeroed state. */
  abstract open(): SpeechFrameScorer;
  /** Frees the runtime's memory; the detector cannot be used afterwards. */
  abstract close(): Promise<void>;
}
