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
 * Several independent passes advanced together, one block of each per call (a runtime may score the streams' frames
 * in one batched call instead of one call per stream and frame).
 */
export interface SpeechStreamScorer {
  /** One block per stream, in stream order, all of the same number of whole frames → each stream's probabilities. */
  score(blocks: readonly Float32Array[]): Promise<Float32Array[]>;
}

/**
 * The port: a loaded VAD model that can open any number of independent passes. The adapter (Silero on
 * onnxruntime-node today; whisper.cpp's whisper_vad_* could be another) is chosen when the app is built.
 */
export abstract class SpeechDetector {
  /** A fresh pass with zeroed state. */
  abstract open(): SpeechFrameScorer;
  /** `count` fresh passes scored together. This default runs them one after another; an adapter may batch them. */
  openStreams(count: number): SpeechStreamScorer {
    const passes = Array.from({ length: count }, () => this.open());
    return {
      score: async (blocks) => {
        const out: Float32Array[] = [];
        for (const [index, block] of blocks.entries()) out.push(await (passes[index] as SpeechFrameScorer).score(block));
        return out;
      },
    };
  }
  /** Frees the runtime's memory; the detector cannot be used afterwards. */
  abstract close(): Promise<void>;
}
