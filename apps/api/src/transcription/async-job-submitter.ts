import type { Response } from 'express';
import { DomainError } from '../common/domain-error';
import type { RequestWithUpload } from '../upload/audio-upload.interceptor';

/**
 * `POST /transcribe` with `async=true` hands the upload to the jobs feature through this port, so the
 * transcription module does not depend on the jobs module (which depends on it). JobsModule provides it.
 */
export abstract class AsyncJobSubmitter {
  /** Creates the job and answers 202 with the job and `status_url` (`/status/{id}`). */
  abstract submit(request: RequestWithUpload, response: Response): Promise<void>;
}

/** `async=true` on `POST /transcribe`, from the form or the query string. */
export function wantsAsync(fields: Record<string, unknown>, query: Record<string, unknown>): boolean {
  const raw = fields['async'] ?? query['async'];
  if (raw === undefined || raw === '') return false;
  const value = String(raw).toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new DomainError('INVALID_OPTION', `async must be true or false; got "${value.slice(0, 20)}".`, { param: 'async' });
}
