import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { FairYield } from '../fair-share/fair-yield';
import { SubmissionCaps } from '../fair-share/submission-caps';
import { AsyncJobSubmitter } from '../transcription/async-job-submitter';
import { TranscriptionModule } from '../transcription/transcription.module';
import { AudioUploadInterceptor } from '../upload/audio-upload.interceptor';
import { CallbackUrlPolicy } from './webhooks/callback-url-policy';
import { WebhookDeliverer } from './webhooks/webhook-deliverer';
import { WebhookSecretController } from './webhooks/webhook-secret.controller';
import { JobEventBus } from './job-event-bus';
import { JobEventStreams } from './job-event-streams';
import { JobRetention } from './job-retention';
import { JobRunner } from './job-runner';
import { JobStatusController } from './job-status.controller';
import { JobSubmission } from './job-submission';
import { JobWorkerPool } from './job-worker-pool';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/**
 * Async jobs: the API (create/list/cancel/retry/transcripts/SSE), the worker pool, webhooks and retention.
 * Global only to provide AsyncJobSubmitter to the transcription module without an import cycle.
 */
@Global()
@Module({
  imports: [TranscriptionModule],
  controllers: [JobsController, JobStatusController, WebhookSecretController],
  providers: [
    JobsService,
    JobEventBus,
    JobEventStreams,
    JobRunner,
    JobWorkerPool,
    JobRetention,
    JobSubmission,
    WebhookDeliverer,
    FairYield,
    SubmissionCaps,
    AudioUploadInterceptor,
    { provide: AsyncJobSubmitter, useExisting: JobSubmission },
    {
      provide: CallbackUrlPolicy,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new CallbackUrlPolicy(config.webhooks.allowHosts, config.webhooks.denyHosts),
    },
  ],
  exports: [AsyncJobSubmitter, JobWorkerPool, JobsService],
})
export class JobsModule {}
