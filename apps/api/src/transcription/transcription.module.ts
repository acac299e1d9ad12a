import { Module } from '@nestjs/common';
import { SyncRequestSlotGuard } from '../fair-share/sync-request-slot.guard';
import { SyncRequestSlots } from '../fair-share/sync-request-slots';
import { JobsModule } from '../jobs/jobs.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { AudioUploadInterceptor } from '../upload/audio-upload.interceptor';
import { OpenAiAudioController } from './openai.controller';
import { SyncTranscription } from './sync-transcription';
import { TranscriptionController } from './transcription.controller';

/**
 * The transcription routes: `/transcribe` (sync through the pipeline, or `async=true` → a job) and the
 * OpenAI-compatible `/v1/audio/*`. Both paths are visible here: the pipeline for sync, the jobs service for async.
 */
@Module({
  imports: [PipelineModule, JobsModule],
  controllers: [TranscriptionController, OpenAiAudioController],
  providers: [SyncTranscription, AudioUploadInterceptor, SyncRequestSlots, SyncRequestSlotGuard],
})
export class TranscriptionModule {}
