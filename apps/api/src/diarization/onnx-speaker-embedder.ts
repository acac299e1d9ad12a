import type { InferenceSession as Session } from 'onnxruntime-node';
import { MEL_BANDS } from './mel-frontend';
import { SpeakerEmbedder } from './speaker-embedder.port';

/**
 * The GE2E encoder (`npm run models:speaker` exports it from Resemblyzer's pinned weights) on onnxruntime-node: no
 * Python at run time. One intra-op thread by default, because diarization runs beside the transcription engine,
 * which owns the cores.
 */
type Ort = typeof import('onnxruntime-node');

export class OnnxSpeakerEmbedder extends SpeakerEmbedder {
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
  ) {
    super();
  }

  static async open(modelPath: string, threads = 1): Promise<OnnxSpeakerEmbedder> {
    // Loaded on demand: the native binding costs memory only in processes that diarize.
    const ort = (await import('onnxruntime-node')) as Ort;
    const session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionProviders: ['cpu'],
    });
    if (session.inputNames[0] !== 'mels' || !session.outputNames.includes('embeddings')) {
      await session.release();
      throw new Error(`${modelPath} is not the speaker encoder export (inputs ${session.inputNames.join(',')})`);
    }
    return new OnnxSpeakerEmbedder(ort, session);
  }

  async embed(mels: Float32Array, count: number, frames: number): Promise<Float32Array[]> {
    const input = new this.ort.Tensor('float32', mels, [count, frames, MEL_BANDS]);
    const output = await this.session.run({ mels: input });
    const data = output['embeddings'].data as Float32Array;
    const size = data.length / count;
    return Array.from({ length: count }, (_, i) => data.slice(i * size, (i + 1) * size));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
