import type { InferenceSession as Session } from 'onnxruntime-node';
import { FBANK_BANDS } from './kaldi-fbank';
import { type EncoderFrameRange, encoderFrames, SpeakerEmbedder } from './speaker-embedder.port';

/**
 * CAM++ (`npm run models:speaker` exports it from 3D-Speaker's pinned weights) on onnxruntime-node: no Python at run
 * time. The export takes a stretch's filter bank and a 0/1 mask per window over the frame-level output, and pools
 * each window inside the graph (scripts/models/speaker/export_onnx.py). One intra-op thread by default, because
 * diarization runs beside the transcription engine, which owns the cores.
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
    const inputs = [...session.inputNames].sort().join(',');
    if (inputs !== 'fbank,windows' || !session.outputNames.includes('embeddings')) {
      await session.release();
      throw new Error(`${modelPath} is not the CAM++ speaker encoder export (inputs ${inputs})`);
    }
    return new OnnxSpeakerEmbedder(ort, session);
  }

  async embed(fbank: Float32Array, frames: number, windows: readonly EncoderFrameRange[]): Promise<Float32Array[]> {
    if (windows.length === 0) return [];
    const outFrames = encoderFrames(frames);
    const masks = new Float32Array(windows.length * outFrames);
    windows.forEach(({ from, to }, i) => masks.fill(1, i * outFrames + from, i * outFrames + to));
    const output = await this.session.run({
      fbank: new this.ort.Tensor('float32', fbank, [1, frames, FBANK_BANDS]),
      windows: new this.ort.Tensor('float32', masks, [windows.length, outFrames]),
    });
    const data = output['embeddings'].data as Float32Array;
    const size = data.length / windows.length;
    return Array.from({ length: windows.length }, (_, i) => data.slice(i * size, (i + 1) * size));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
