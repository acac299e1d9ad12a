import { Module } from '@nestjs/common';
import { AudioModule } from '../audio/audio.module';
import { AppConfig } from '../config/app-config';
import { SyncRequestSlotGuard } from '../fair-share/sync-request-slot.guard';
import { SyncRequestSlots } from '../fair-share/sync-request-slots';
import { AudioUploadInterceptor } from '../upload/audio-upload.interceptor';
import { EngineDispatcher } from './engine-dispatcher';
import { OpenAiAudioController } from './openai.controller';
import { TranscriptionController } from './transcription.controller';
import { TranscriptionResponder } from './transcription.responder';
import { TranscriptionService } from './transcription.service';

@Module({
  imports: [AudioModule],
  controllers: [TranscriptionController, OpenAiAudioController],
  providers: [
    TranscriptionService,
    TranscriptionResponder,
    AudioUploadInterceptor,
    SyncRequestSlots,
    SyncRequestSlotGuard,
    {
      provide: EngineDispatcher,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new EngineDispatcher(config.dispatch.concurrency, config.dispatch.queueSize),
    },
  ],
  exports: [TranscriptionService, EngineDispatcher],
})
export class TranscriptionModule {}
