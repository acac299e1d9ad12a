import { basename } from 'node:path';
import type { JobAccepted } from '@speech/contracts';
import { principalOf } from '../auth/caller.decorator';
import { DomainError } from '../common/domain-error';
import type { JobRecord } from '../storage/job-store.port';
import { type RequestWithUpload, uploadFilePath } from '../upload/audio-upload.interceptor';
import { idempotencyKeyOf, parseJobRequest } from './job-request';
import { toJob } from './job-view';
import type { CreateJobCall } from './jobs.service';

/** The job a multipart upload asks for; shared by `POST /api/v1/jobs` and `POST /transcribe?async=true`. */
export function jobCallOf(request: RequestWithUpload): CreateJobCall {
  const upload = request.upload;
  if (!upload) throw new DomainError('MISSING_FILE');
  return {
    request: parseJobRequest(request.body as Record<string, unknown>),
    upload: { path: uploadFilePath(upload), size: upload.size, filename: clientFileName(request.file?.originalname) },
    idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
    ownerId: principalOf(request).ownerId,
  };
}

/** The 202 body: the job plus where to poll it (the same URL goes in `Location`). */
export function acceptedJob(record: JobRecord, statusUrl: string): JobAccepted {
  return { ...toJob(record), status_url: statusUrl };
}

/** Only for display: the last path segment, printable, bounded. */
function clientFileName(name: string | undefined): string | null {
  if (!name) return null;
  const printable = [...basename(name.replace(/\\/g, '/'))].filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f);
  const cleaned = printable.join('').slice(0, 255);
  return cleaned || null;
}
