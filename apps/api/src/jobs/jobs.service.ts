import { Injectable, Logger } from '@nestjs/common';
import {
  isTerminalJobStatus,
  type JobStatus,
  RETRYABLE_JOB_STATUSES,
  type ResponseFormat,
  type TranscriptionResult,
} from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { SubmissionCaps } from '../fair-share/submission-caps';
import { MetricsService } from '../metrics/metrics.service';
import { BlobNotFoundError, BlobStore } from '../storage/blob-store.port';
import { type JobPage, type JobRecord, JobStore } from '../storage/job-store.port';
import { requireAudioFormat } from '../pipeline/audio-format';
import { SpeakerModel } from '../diarization/speaker-model';
import { type FormattedResponse, formatTranscript } from '../pipeline/format-transcript';
import { CallbackUrlPolicy } from './webhooks/callback-url-policy';
import { JobEventBus } from './job-event-bus';
import { type JobChanges, jobBlobKeys, newJobRecord, nextVersion } from './job-record';
import { optionsOfJob, storedOptions } from './job-options';
import { type JobRequest, requestFingerprint } from './job-request';
import { endChanges } from './job-transitions';

export interface CreateJobCall {
  readonly request: JobRequest;
  readonly upload: { readonly path: string; readonly size: number; readonly filename: string | null };
  readonly idempotencyKey: string | null;
  /** The caller's owner id (its key id, or ANONYMOUS_OWNER); idempotency keys are scoped to it. */
  readonly ownerId: string;
}

export interface CreatedJob {
  readonly record: JobRecord;
  /** True when an earlier request with the same Idempotency-Key created it. */
  readonly replayed: boolean;
}

/** Create, read, list, cancel and retry jobs; serve their transcripts. Running them is the worker pool's job. */
@Injectable()
export class JobsService {
  private readonly logger = new Logger('JobsService');

  constructor(
    private readonly store: JobStore,
    private readonly blobs: BlobStore,
    private readonly bus: JobEventBus,
    private readonly policy: CallbackUrlPolicy,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly caps: SubmissionCaps,
    private readonly speakers: SpeakerModel,
  ) {}

  async create({ request, upload, idempotencyKey, ownerId }: CreateJobCall): Promise<CreatedJob> {
    // Refuse what can be refused cheaply now; decoding problems surface when the job runs.
    const format = await requireAudioFormat(upload.path);
    // Jobs diarize in the API (diarize.stage.ts): without the speaker model, say so now, not when the job fails.
    if (request.options.diarization) this.speakers.assertAvailable();
    if (request.callbackUrl) {
      if (!this.config.webhooks.secret) {
        throw new DomainError('INVALID_OPTION', 'callback_url needs webhooks, which are off: the server has no WEBHOOK_SECRET.', { param: 'callback_url' });
      }
      await this.policy.check(request.callbackUrl);
    }
    await this.caps.check(ownerId, { bytes: upload.size, format });
    const record = newJobRecord(
      {
        options: storedOptions(request.options),
        audio: { filename: upload.filename, bytes: upload.size, format },
        callbackUrl: request.callbackUrl,
        idempotencyKey,
        requestHash: idempotencyKey ? await requestFingerprint(request, upload.path) : null,
        maxAttempts: this.config.jobs.maxAttempts,
        ownerId,
      },
      Date.now(),
    );
    // Audio first: a job record never points at audio that is not there.
    await this.blobs.putFile(jobBlobKeys.audio(record.id), upload.path);
    const outcome = await this.store.insert(record).catch(async (error: unknown) => {
      await this.blobs.delete(jobBlobKeys.audio(record.id));
      throw error;
    });
    if (!outcome.inserted) {
      await this.blobs.delete(jobBlobKeys.audio(record.id));
      if (outcome.existing.requestHash !== record.requestHash) {
        throw new DomainError('IDEMPOTENCY_CONFLICT', undefined, { job_id: outcome.existing.id });
      }
      return { record: outcome.existing, replayed: true };
    }
    this.logger.log({ msg: 'job created', job_id: record.id, bytes: upload.size, format });
    this.bus.publish('job.created', record);
    return { record, replayed: false };
  }

  /**
   * The job, if `owner` may see it: undefined means every owner (admin). Another owner's job is "not found", exactly
   * like a missing one, so ids cannot be probed for existence.
   */
  async get(id: string, owner: string | undefined): Promise<JobRecord> {
    const record = await this.store.get(id);
    if (!record || (owner !== undefined && record.ownerId !== owner)) throw new DomainError('JOB_NOT_FOUND', `No job with the id "${id.slice(0, 80)}" exists (it may have been purged).`);
    return record;
  }

  list(owner: string | undefined, statuses: readonly JobStatus[], limit: number, cursor?: string): Promise<JobPage> {
    return this.store.list({ statuses, limit, cursor, ...(owner !== undefined ? { ownerId: owner } : {}) });
  }

  /** Queued or running → cancelled. A running job's worker sees it within about a second and stops the engine. */
  async cancel(id: string, owner: string | undefined): Promise<JobRecord> {
    const cancelled = await this.change(id, owner, (record) => {
      if (isTerminalJobStatus(record.status)) {
        throw new DomainError('JOB_NOT_CANCELLABLE', `The job has already ${record.status === 'cancelled' ? 'been cancelled' : record.status}.`, { status: record.status });
      }
      return endChanges(record, 'cancelled', { code: 'CANCELLED', message: 'The job was cancelled by request.' }, Date.now(), this.config.jobs);
    });
    this.metrics.jobs.inc({ outcome: 'cancelled' });
    this.bus.publish('job.cancelled', cancelled);
    return cancelled;
  }

  /** Failed or cancelled → queued again; windows finished earlier are reused. */
  async retry(id: string, owner: string | undefined): Promise<JobRecord> {
    const queued = await this.change(id, owner, (record) => {
      if (!RETRYABLE_JOB_STATUSES.includes(record.status)) {
        throw new DomainError('JOB_NOT_RETRYABLE', `Only a failed or cancelled job can be retried; this one is ${record.status}.`, { status: record.status });
      }
      if (!record.audio.stored) {
        throw new DomainError('JOB_NOT_RETRYABLE', 'The audio of this job is no longer stored; submit it again.', { status: record.status });
      }
      return {
        status: 'queued',
        error: null,
        finishedAt: null,
        expiresAt: null,
        etaSeconds: null,
        lease: null,
        // A fresh allowance of starts on top of those already made.
        maxAttempts: record.attempts + this.config.jobs.maxAttempts,
        webhook: { deliveries: record.webhook.deliveries, dueAt: null },
      };
    });
    this.bus.publish('job.updated', queued);
    this.bus.publish('job.created', queued); // wakes idle workers like a new job
    return queued;
  }

  async transcript(id: string, owner: string | undefined, format: ResponseFormat): Promise<FormattedResponse> {
    const record = await this.get(id, owner);
    if (record.status !== 'succeeded') {
      throw new DomainError('JOB_NOT_FINISHED', `The job is ${record.status}; its transcript exists once it has succeeded.`, { status: record.status });
    }
    let result: TranscriptionResult;
    try {
      result = JSON.parse((await this.blobs.getBytes(jobBlobKeys.result(id))).toString('utf8')) as TranscriptionResult;
    } catch (error) {
      if (error instanceof BlobNotFoundError) throw new DomainError('JOB_NOT_FOUND', 'The transcript of this job has been purged.');
      throw error;
    }
    return formatTranscript(result, optionsOfJob(record.options), 'native', format);
  }

  /** Read, decide, compare-and-set; a concurrent writer (a worker's progress, a lease renewal) means read again. */
  private async change(id: string, owner: string | undefined, decide: (record: JobRecord) => JobChanges): Promise<JobRecord> {
    for (let tries = 0; tries < 20; tries += 1) {
      const record = await this.get(id, owner);
      const next = nextVersion(record, decide(record), Date.now());
      if (await this.store.replace(next, record.version)) return next;
    }
    throw new DomainError('INTERNAL_ERROR', 'The job kept changing; try again.');
  }
}
