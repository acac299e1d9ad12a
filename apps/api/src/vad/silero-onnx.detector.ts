import type { InferenceSession as Session, Tensor as TensorType } from 'onnxruntime-node';
import { SpeechDetector, type SpeechFrameScorer, type SpeechStreamScorer, VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from './speech-detector.port';

/** Silero v5/v6 see the last 64 samples of the previous frame in front of each 512-sample frame (utils_vad.py). */
const CONTEXT_SAMPLES = 64;
/** Silero's recurrent state per stream: [2, batch, 128]. */
const STATE_PER_STREAM = 128;
const STATE_LAYERS = 2;
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
    const streams = new SileroStreams(this.ort, this.session, 1);
    return { score: async (samples) => (await streams.score([samples]))[0] as Float32Array };
  }

  /** Silero takes a batch: `count` streams' frames go through the model in one call per 32 ms step. */
  override openStreams(count: number): SpeechStreamScorer {
    return new SileroStreams(this.ort, this.session, count);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/**
 * `count` independent passes, one row of the model's batch each: per step every stream's [64 samples of context |
 * next frame] goes in as one [count, 576] input and the state as [2, count, 128], as OnnxWrapper does for its batch.
 */
class SileroStreams implements SpeechStreamScorer {
  /** Row b: [context | frame] of stream b, reused for every step. */
  private readonly input: Float32Array;
  private state: TensorType;
  private readonly sr: TensorType;
  private readonly row = CONTEXT_SAMPLES + VAD_FRAME_SAMPLES;

  constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    private readonly count: number,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`stream count must be a positive integer; got ${count}`);
    this.input = new Float32Array(count * this.row);
    this.state = new ort.Tensor('float32', new Float32Array(STATE_LAYERS * count * STATE_PER_STREAM), [STATE_LAYERS, count, STATE_PER_STREAM]);
    this.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  }

  async score(blocks: readonly Float32Array[]): Promise<Float32Array[]> {
    const length = blocks[0]?.length ?? 0;
    if (blocks.length !== this.count || blocks.some((block) => block.length !== length) || length % VAD_FRAME_SAMPLES !== 0) {
      throw new RangeError(`score() takes ${this.count} blocks of the same whole number of ${VAD_FRAME_SAMPLES}-sample frames`);
    }
    const frames = length / VAD_FRAME_SAMPLES;
    const probabilities = blocks.map(() => new Float32Array(frames));
    const input = new this.ort.Tensor('float32', this.input, [this.count, this.row]);
    for (let f = 0; f < frames; f += 1) {
      blocks.forEach((block, b) => {
        // The last 64 samples of the stream's previous model input become this one's context, as the reference does.
        const row = b * this.row;
        this.input.copyWithin(row, row + VAD_FRAME_SAMPLES, row + this.row);
        this.input.set(block.subarray(f * VAD_FRAME_SAMPLES, (f + 1) * VAD_FRAME_SAMPLES), row + CONTEXT_SAMPLES);
      });
      const out = await this.session.run({ input, state: this.state, sr: this.sr });
      const scores = (out['output'] as TensorType).data as Float32Array;
      for (let b = 0; b < this.count; b += 1) (probabilities[b] as Float32Array)[f] = scores[b] as number;
      this.state = out['stateN'] as TensorType;
      if ((f + 1) % FRAMES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return probabilities;
  }
}
