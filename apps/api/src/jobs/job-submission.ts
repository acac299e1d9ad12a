import { basename } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { JobAccepted } from '@speech/contracts';
import type { Response } from 'express';
import { principalOf } from '../auth/caller.decorator';
import { DomainError } from '../common/domain-error';
import { AsyncJobSubmitter } from '../transcription/async-job-submitter';
import type { RequestWithUpload } from '../upload/audio-upload.interceptor';
import { idempotencyKeyOf, parseJobRequest } from './job-request';
import { JOBS_BASE_PATH, toJob } from './job-view';
import { JobsService } from './jobs.service';

/** Turns an upload into a job and answers 202; shared by `POST /api/v1/jobs` and `POST /transcribe?async=true`. */
@Injectable()
export class JobSubmission extends AsyncJobSubmitter {
  constructor(private readonly jobs: JobsService) {
    super();
  }

  /** From `/transcribe`: the status URL is the seed's `/status/{id}`. */
  submit(request: RequestWithUpload, response: Response): Promise<void> {
    return this.accept(request, response, (id) => `/status/${id}`);
  }

  async accept(request: RequestWithUpload, response: Response, statusUrl: (id: string) => string = (id) => `${JOBS_BASE_PATH}/${id}`): Promise<void> {
    const upload = request.upload;
    if (!upload) throw new DomainError('MISSING_FILE');
    const parsed = parseJobRequest(request.body as Record<string, unknown>);
    const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key']);
    const { record, replayed } = await this.jobs.create({
      request: parsed,
      upload: { path: upload.path, size: upload.size, filename: clientFileName(request.file?.originalname) },
      idempotencyKey,
      ownerId: principalOf(request).ownerId,
    });
    const body: JobAccepted = { ...toJob(record), status_url: statusUrl(record.id) };
    response
      .status(202)
      .location(body.status_url)
      .setHeader('Idempotent-Replayed', String(replayed))
      .json(body);
  }
}

/** Only for display: the last path segment, printable, bounded. */
function clientFileName(name: string | undefined): string | null {
  if (!name) return null;
  const printable = [...basename(name.replace(/\\/g, '/'))].filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f);
  const cleaned = printable.join('').slice(0, 255);
  return cleaned || null;
}
