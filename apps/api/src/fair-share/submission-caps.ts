import { Injectable } from '@nestjs/common';
import type { AudioFormat } from '@speech/contracts';
import { ANONYMOUS_OWNER } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { JobStore } from '../storage/job-store.port';
import { audioSecondsOf } from './audio-estimate';

/** How soon a refused client should look again: jobs start and end on the scale of a window. */
const RETRY_AFTER_SECONDS = 30;

export interface NewUpload {
  readonly bytes: number;
  readonly format: AudioFormat | null;
}

/**
 * Per-key caps on what one key may hold in the job queue: queued jobs (JOB_MAX_QUEUED_PER_KEY) and audio hours
 * queued plus running (JOB_MAX_AUDIO_HOURS_PER_KEY). Counted from the shared store before the job is written, so
 * they hold across instances; simultaneous submissions of one key may overshoot by the few that race. Callers without
 * a key (keys optional: local development) are one anonymous tenant with no other tenant to protect, so uncapped.
 */
@Injectable()
export class SubmissionCaps {
  constructor(
    private readonly store: JobStore,
    private readonly config: AppConfig,
  ) {}

  /** Throws JOB_QUEUE_FULL or AUDIO_BACKLOG_FULL (429, Retry-After) when `upload` would go beyond a cap. */
  async check(ownerId: string, upload: NewUpload): Promise<void> {
    const { maxQueuedPerKey, maxAudioSecondsPerKey } = this.config.fairShare;
    if (ownerId === ANONYMOUS_OWNER || (maxQueuedPerKey === 0 && maxAudioSecondsPerKey === 0)) return;
    const backlog = await this.store.ownerBacklog(ownerId);
    const queued = backlog.filter((entry) => entry.status === 'queued').length;
    if (maxQueuedPerKey > 0 && queued >= maxQueuedPerKey) {
      throw new DomainError('JOB_QUEUE_FULL', undefined, { limit: maxQueuedPerKey, queued }, RETRY_AFTER_SECONDS);
    }
    if (maxAudioSecondsPerKey === 0) return;
    const maxJob = this.config.jobs.maxAudioSeconds;
    const inFlight = backlog.reduce((sum, entry) => sum + audioSecondsOf(entry, maxJob), 0);
    const incoming = audioSecondsOf({ ...upload, durationSeconds: null }, maxJob);
    if (inFlight + incoming > maxAudioSecondsPerKey) {
      throw new DomainError(
        'AUDIO_BACKLOG_FULL',
        undefined,
        { limit_hours: round(maxAudioSecondsPerKey / 3600), in_flight_hours: round(inFlight / 3600), this_job_hours: round(incoming / 3600) },
        RETRY_AFTER_SECONDS,
      );
    }
  }
}

function round(hours: number): number {
  return Math.round(hours * 100) / 100;
}
