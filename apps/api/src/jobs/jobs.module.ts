import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { FairYield } from '../fair-share/fair-yield';
import { SubmissionCaps } from '../fair-share/submission-caps';
import { PipelineModule } from '../pipeline/pipeline.module';
import { AudioUploadInterceptor } from '../upload/audio-upload.interceptor';
import { CallbackUrlPolicy } from './webhooks/callback-url-policy';
import { WebhookDeliverer } from './webhooks/webhook-deliverer';
import { WebhookSecretController } from './webhooks/webhook-secret.controller';
import { JobEventBus } from './job-event-bus';
import { JobEventStreams } from './job-event-streams';
import { JobRetention } from './job-retention';
import { JobRunner } from './job-runner';
import { JobStatusController } from './job-status.controller';
import { JobWorkerPool } from './job-worker-pool';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/**
 * Async jobs: the API (create/list/cancel/retry/transcripts/SSE), the worker pool, webhooks and retention. Workers
 * run jobs through the audio pipeline's stages; the transcription module imports this one for `async=true`.
 */
@Module({
  imports: [PipelineModule],
  controllers: [JobsController, JobStatusController, WebhookSecretController],
  providers: [
    JobsService,
    JobEventBus,
    JobEventStreams,
    JobRunner,
    JobWorkerPool,
    JobRetention,
    WebhookDeliverer,
    FairYield,
    SubmissionCaps,
    AudioUploadInterceptor,
    {
      provide: CallbackUrlPolicy,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new CallbackUrlPolicy(config.webhooks.allowHosts, config.webhooks.denyHosts),
    },
  ],
  exports: [JobsService, JobWorkerPool],
})
export class JobsModule {}
