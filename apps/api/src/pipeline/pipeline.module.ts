import { Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AudioModule } from '../audio/audio.module';
import { AppConfig } from '../config/app-config';
import { OnnxSpeakerEmbedder } from '../diarization/onnx-speaker-embedder';
import { SpeakerModel } from '../diarization/speaker-model';
import { DiarizationQueue } from './diarization-queue';
import { DiarizeStage } from './diarize.stage';
import { SpeechDetection } from '../vad/speech-detection';
import { DispatchStage } from './dispatch.stage';
import { EngineDispatcher } from './engine-dispatcher';
import { PrepareStage } from './prepare.stage';
import { TranscriptionPipeline } from './transcription-pipeline';
import { VadStage } from './vad.stage';

/** Frees the VAD model's runtime on shutdown. */
@Injectable()
class SpeechDetectionLifecycle implements OnApplicationShutdown {
  constructor(private readonly detection: SpeechDetection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.detection.close();
  }
}

/** The audio pipeline's stages, one instance each per process: sync requests and job workers share the dispatcher and the VAD model. */
@Module({
  imports: [AudioModule],
  providers: [
    PrepareStage,
    DispatchStage,
    VadStage,
    TranscriptionPipeline,
    SpeechDetectionLifecycle,
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
    {
      // Loaded once at boot; a missing model leaves the service up with VAD unavailable (vad/speech-detection.ts).
      provide: SpeechDetection,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const detection = await SpeechDetection.load(config.vad);
        const state = detection.state();
        const logger = new Logger('SpeechDetection');
        if (state.problem) logger.error({ msg: 'VAD unavailable', ...state });
        else logger.log({ msg: state.enabled ? 'VAD model loaded' : 'VAD turned off (VAD_ENABLED=false)', ...state });
        return detection;
      },
    },
  ],
  // AudioModule too: the upload interceptor (transcription and job routes) feeds its decoder while uploads arrive.
  exports: [AudioModule, PrepareStage, DispatchStage, VadStage, DiarizeStage, SpeakerModel, TranscriptionPipeline, EngineDispatcher, SpeechDetection],
})
export class PipelineModule {}
