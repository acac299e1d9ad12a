import { SpeechDetector, type SpeechFrameScorer, VAD_FRAME_SAMPLES } from '../speech-detector.port';

/**
 * A stand-in SpeechDetector for unit specs: a frame is "speech" (0.95) when its RMS is above `level`, else 0.02.
 * Synthetic audio of loud stretches and digital silence then has exactly known regions, with no model to load.
 */
export class EnergyDetector extends SpeechDetector {
  closed = false;

  constructor(private readonly level = 0.01) {
    super();
  }

  open(): SpeechFrameScorer {
    return {
      score: async (samples: Float32Array) => {
        const out = new Float32Array(samples.length / VAD_FRAME_SAMPLES);
        for (let f = 0; f < out.length; f += 1) {
          let sum = 0;
          for (let i = f * VAD_FRAME_SAMPLES; i < (f + 1) * VAD_FRAME_SAMPLES; i += 1) sum += (samples[i] as number) ** 2;
          out[f] = Math.sqrt(sum / VAD_FRAME_SAMPLES) > this.level ? 0.95 : 0.02;
        }
        return out;
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
