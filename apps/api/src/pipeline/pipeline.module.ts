import { Module } from '@nestjs/common';
import { AudioModule } from '../audio/audio.module';
import { AppConfig } from '../config/app-config';
import { OnnxSpeakerEmbedder } from '../diarization/onnx-speaker-embedder';
import { SpeakerModel } from '../diarization/speaker-model';
import { DiarizationQueue } from './diarization-queue';
import { DiarizeStage } from './diarize.stage';
import { DispatchStage } from './dispatch.stage';
import { EngineDispatcher } from './engine-dispatcher';
import { PrepareStage } from './prepare.stage';
import { TranscriptionPipeline } from './transcription-pipeline';

/** The audio pipeline's stages, one instance each per process: sync requests and job workers share the dispatcher. */
@Module({
  imports: [AudioModule],
  providers: [
    PrepareStage,
    DispatchStage,
    TranscriptionPipeline,
    {
      provide: EngineDispatcher,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new EngineDispatcher(config.dispatch.concurrency, config.dispatch.queueSize),
    },
    DiarizeStage,
    {
      provide: DiarizationQueue,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new DiarizationQueue(config.diarization.concurrency, config.diarization.queueSize),
    },
    {
      provide: SpeakerModel,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new SpeakerModel(config.diarization, (path, threads) => OnnxSpeakerEmbedder.open(path, threads)),
    },
  ],
  // AudioModule too: the upload interceptor (transcription and job routes) feeds its decoder while uploads arrive.
  exports: [AudioModule, PrepareStage, DispatchStage, DiarizeStage, SpeakerModel, TranscriptionPipeline, EngineDispatcher],
})
export class PipelineModule {}
