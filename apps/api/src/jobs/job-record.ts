import { randomUUID } from 'node:crypto';
import type { AudioFormat, JobOptions } from '@speech/contracts';
import type { JobRecord } from '../storage/job-store.port';

export interface NewJobInput {
  readonly options: JobOptions;
  readonly audio: { readonly filename: string | null; readonly bytes: number; readonly format: AudioFormat | null };
  readonly callbackUrl: string | null;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
  readonly maxAttempts: number;
  /** Who may see and change the job: the creating key's id, or ANONYMOUS_OWNER. */
  readonly ownerId: string;
  readonly id?: string;
}

/** A fresh queued job (version 1). */
export function newJobRecord(input: NewJobInput, now: number): JobRecord {
  return {
    id: input.id ?? `job_${randomUUID().replace(/-/g, '')}`,
    version: 1,
    ownerId: input.ownerId,
    status: 'queued',
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    attempts: 0,
    maxAttempts: input.maxAttempts,
    error: null,
    options: input.options,
    audio: { ...input.audio, durationSeconds: null, stored: true },
    progress: 0,
    etaSeconds: null,
    windows: { total: 0, done: 0 },
    lease: null,
    callbackUrl: input.callbackUrl,
    webhook: { deliveries: [], dueAt: null },
    idempotencyKey: input.idempotencyKey,
    requestHash: input.requestHash,
    expiresAt: null,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type JobChanges = Partial<Omit<Mutable<JobRecord>, 'id' | 'version' | 'createdAt' | 'ownerId'>>;

/** The next version of a record: the changes applied, version bumped, updatedAt set. */
export function nextVersion(record: JobRecord, changes: JobChanges, now: number): JobRecord {
  return { ...record, ...changes, version: record.version + 1, updatedAt: now };
}

/** Where a job's objects live in the blob store. */
export const jobBlobKeys = {
  folder: (id: string) => `jobs/${id}/`,
  audio: (id: string) => `jobs/${id}/audio`,
  result: (id: string) => `jobs/${id}/result.json`,
  windowsFolder: (id: string) => `jobs/${id}/windows/`,
  /** A finished window's result, so a retry or a take-over redoes only the windows that are missing. */
  window: (id: string, index: number, plan: string) => `jobs/${id}/windows/${plan}-${String(index).padStart(5, '0')}.json`,
};
