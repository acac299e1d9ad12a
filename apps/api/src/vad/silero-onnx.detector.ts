import type { InferenceSession as Session, Tensor as TensorType } from 'onnxruntime-node';
import { SpeechDetector, type SpeechFrameScorer, VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from './speech-detector.port';

/** Silero v5/v6 see the last 64 samples of the previous frame in front of each 512-sample frame (utils_vad.py). */
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 1 * 128;
/** Give the event loop a turn after this many frames (~6.4 s of audio, a few tens of ms of work). */
const FRAMES_PER_TURN = 200;

type Ort = typeof import('onnxruntime-node');

/**
 * Silero VAD on onnxruntime-node (CPU, one thread: VAD runs beside the engine and must not steal its cores).
 * The model file is `npm run models:vad`'s output (pinned sha256); see scripts/models/vad/sources.py.
 */
export class SileroOnnxDetector extends SpeechDetector {
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
  ) {
    super();
  }

  static async load(modelPath: string, options: { threads?: number } = {}): Promise<SileroOnnxDetector> {
    // Loaded on demand: the native binding costs memory only where VAD is used.
    const ort = (await import('onnxruntime-node')) as Ort;
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const inputs = [...session.inputNames].sort().join(',');
    if (inputs !== 'input,sr,state' || !session.outputNames.includes('output') || !session.outputNames.includes('stateN')) {
      await session.release();
      throw new Error(`${modelPath} is not a Silero v5/v6 VAD model (inputs ${inputs}; outputs ${session.outputNames.join(',')})`);
    }
    return new SileroOnnxDetector(ort, session);
  }

  open(): SpeechFrameScorer {
    return new SileroPass(this.ort, this.session);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

class SileroPass implements SpeechFrameScorer {
  /** [context | frame], reused for every frame. */
  private readonly input = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
  private state: TensorType;
  private readonly sr: TensorType;

  constructor(
    private readonly ort: Ort,
    private readonly session: Session,
  ) {
    this.state = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 128]);
    this.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  }

  async score(samples: Float32Array): Promise<Float32Array> {
    if (samples.length % VAD_FRAME_SAMPLES !== 0) {
      throw new RangeError(`score() takes whole frames of ${VAD_FRAME_SAMPLES} samples; got ${samples.length}`);
    }
    const frames = samples.length / VAD_FRAME_SAMPLES;
    const probabilities = new Float32Array(frames);
    const input = new this.ort.Tensor('float32', this.input, [1, this.input.length]);
    for (let f = 0; f < frames; f += 1) {
      // The last 64 samples of the previous model input become this one's context, as the reference does.
      this.input.copyWithin(0, VAD_FRAME_SAMPLES);
      this.input.set(samples.subarray(f * VAD_FRAME_SAMPLES, (f + 1) * VAD_FRAME_SAMPLES), CONTEXT_SAMPLES);
      const out = await this.session.run({ input, state: this.state, sr: this.sr });
      probabilities[f] = (out['output'] as TensorType).data[0] as number;
      this.state = out['stateN'] as TensorType;
      if ((f + 1) % FRAMES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return probabilities;
  }
}
