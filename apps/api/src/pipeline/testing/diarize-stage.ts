import type { AppConfig } from '../../config/app-config';
import { OnnxSpeakerEmbedder } from '../../diarization/onnx-speaker-embedder';
import { type OpenEmbedder, SpeakerModel } from '../../diarization/speaker-model';
import type { TranscriptionEngine } from '../../engines/transcription-engine.port';
import { DiarizationQueue } from '../diarization-queue';
import { DiarizeStage } from '../diarize.stage';
import type { PrepareStage } from '../prepare.stage';

/**
 * The diarization stage as the pipeline module builds it, for specs that construct the pipeline by hand. The encoder
 * opens only when a request diarizes (the real ONNX one unless `open` says otherwise).
 */
export function diarizeStageFor(
  engine: TranscriptionEngine,
  config: AppConfig,
  prepare: PrepareStage,
  open: OpenEmbedder = (path, threads) => OnnxSpeakerEmbedder.open(path, threads),
): { stage: DiarizeStage; model: SpeakerModel; queue: DiarizationQueue } {
  const model = new SpeakerModel(config.diarization, open);
  const queue = new DiarizationQueue(config.diarization.concurrency, config.diarization.queueSize);
  return { stage: new DiarizeStage(engine, model, queue, prepare, config), model, queue };
}
