import type { Job } from '@speech/contracts';
import type { JobRecord } from '../storage/job-store.port';

export const JOBS_BASE_PATH = '/api/v1/jobs';

/** The wire form of a stored job. Links are root-relative, so they hold behind any proxy or host name. */
export function toJob(record: JobRecord): Job {
  const self = `${JOBS_BASE_PATH}/${record.id}`;
  return {
    id: record.id,
    status: record.status,
    progress: round(record.progress, 4),
    eta_seconds: record.etaSeconds === null ? null : Math.max(0, Math.round(record.etaSeconds)),
    created_at: iso(record.createdAt),
    started_at: record.startedAt === null ? null : iso(record.startedAt),
    finished_at: record.finishedAt === null ? null : iso(record.finishedAt),
    updated_at: iso(record.updatedAt),
    attempts: record.attempts,
    max_attempts: record.maxAttempts,
    error: record.error,
    options: record.options,
    audio: {
      filename: record.audio.filename,
      bytes: record.audio.bytes,
      duration_seconds: record.audio.durationSeconds === null ? null : round(record.audio.durationSeconds, 3),
    },
    windows: { ...record.windows },
    callback_url: record.callbackUrl,
    webhook_deliveries: [...record.webhook.deliveries],
    result_expires_at: record.expiresAt === null ? null : iso(record.expiresAt),
    links: { self, transcript: `${self}/transcript`, events: `${self}/events` },
  };
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
