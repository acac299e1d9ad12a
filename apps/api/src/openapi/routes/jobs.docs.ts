import { applyDecorators } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { JOB_STATUSES, TRANSCRIPT_FILE_NAMES } from '@speech/contracts';
import { ApiKeyAuth } from '../api-access';
import { ANY_ROUTE, ApiProblems, AUDIO_UPLOAD, JOB_CREATION, KEYED_ROUTE, SERVED_ROUTE, STORE_READ, STORE_WRITE } from '../api-errors';
import { JobAcceptedSchema, JobListSchema, JobSchema, WebhookSecretSchema } from '../schemas/job.schemas';
import { TranscriptionResultSchema, VerboseTranscriptionSchema } from '../schemas/transcription.schemas';
import { ApiJobEventStream, oneOf, transcriptContent } from '../success';

/** Answers of `/api/v1/jobs`, `GET /status/{id}` and `/api/v1/webhooks/secret`. */

const READ = [...SERVED_ROUTE, ...KEYED_ROUTE, ...STORE_READ];
const JOB_ID = ApiParam({ name: 'id', description: 'The job id (from the 202 answer or the list).' });
const NOT_FOUND_CODES = ['JOB_NOT_FOUND'] as const;

export const ApiCreateJobResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('transcribe'),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replaying the same request with the same key answers the same job.' }),
    ApiAcceptedResponse({
      type: JobAcceptedSchema,
      description: 'The job, queued; Location names it, Idempotent-Replayed says whether an earlier request made it.',
      headers: {
        Location: { description: 'The job URL.', schema: { type: 'string' } },
        'Idempotent-Replayed': { description: 'true when an earlier request with the same Idempotency-Key made this job.', schema: { type: 'string', enum: ['true', 'false'] } },
      },
    }),
    ApiProblems(...SERVED_ROUTE, ...KEYED_ROUTE, ...AUDIO_UPLOAD, ...JOB_CREATION),
  );

export const ApiListJobsResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('jobs:read'),
    ApiQuery({ name: 'status', required: false, type: String, description: `One status or a comma-separated list of: ${JOB_STATUSES.join(', ')}.` }),
    ApiQuery({ name: 'limit', required: false, type: 'integer', minimum: 1, maximum: 100, description: 'Default 20.' }),
    ApiQuery({ name: 'cursor', required: false, type: String, description: 'next_cursor of the previous page.' }),
    ApiOkResponse({ type: JobListSchema }),
    ApiProblems(...READ, 'INVALID_OPTION'),
  );

export const ApiJobEventsResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('jobs:read'),
    ApiJobEventStream('Every job visible to the key, from now on.'),
    ApiProblems(...READ, 'TOO_MANY_STREAMS'),
  );

export const ApiJobEventStreamResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('jobs:read'),
    JOB_ID,
    ApiJobEventStream("The job's current state first, then every change; the stream ends when the job is deleted."),
    ApiProblems(...READ, ...NOT_FOUND_CODES, 'TOO_MANY_STREAMS'),
  );

/** `GET /api/v1/jobs/{id}` and `GET /status/{id}`. */
export const ApiGetJobResponses = (): MethodDecorator =>
  applyDecorators(ApiKeyAuth('jobs:read'), JOB_ID, ApiOkResponse({ type: JobSchema }), ApiProblems(...READ, ...NOT_FOUND_CODES));

export const ApiCancelJobResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('transcribe'),
    JOB_ID,
    ApiOkResponse({ type: JobSchema, description: 'The job, cancelled.' }),
    ApiProblems(...SERVED_ROUTE, ...KEYED_ROUTE, ...STORE_WRITE, ...NOT_FOUND_CODES, 'JOB_NOT_CANCELLABLE'),
  );

export const ApiRetryJobResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('transcribe'),
    JOB_ID,
    ApiAcceptedResponse({ type: JobSchema, description: 'The job, queued again.' }),
    ApiProblems(...SERVED_ROUTE, ...KEYED_ROUTE, ...STORE_WRITE, ...NOT_FOUND_CODES, 'JOB_NOT_RETRYABLE'),
  );

const TRANSCRIPT = {
  status: 200,
  content: transcriptContent(oneOf(TranscriptionResultSchema, VerboseTranscriptionSchema), true),
} as const;
const TRANSCRIPT_ERRORS = [...READ, ...NOT_FOUND_CODES, 'JOB_NOT_FINISHED'] as const;

export const ApiJobTranscriptResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('jobs:read'),
    JOB_ID,
    ApiResponse({ ...TRANSCRIPT, description: "The transcript in the job's response_format." }),
    ApiProblems(...TRANSCRIPT_ERRORS),
  );

export const ApiJobTranscriptFileResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('jobs:read'),
    JOB_ID,
    ApiParam({ name: 'file', enum: Object.values(TRANSCRIPT_FILE_NAMES), description: 'The format, by file name.' }),
    ApiResponse({
      ...TRANSCRIPT,
      description: 'The transcript in the format the file name says, as an attachment (Content-Disposition).',
      headers: { 'Content-Disposition': { description: 'attachment; filename="<id>-<file>"', schema: { type: 'string' } } },
    }),
    ApiProblems(...TRANSCRIPT_ERRORS, 'NOT_FOUND'),
  );

export const ApiWebhookSecretResponses = (): MethodDecorator =>
  applyDecorators(
    ApiKeyAuth('transcribe'),
    ApiOkResponse({ type: WebhookSecretSchema, headers: { 'Cache-Control': { description: 'no-store', schema: { type: 'string' } } } }),
    ApiProblems(...SERVED_ROUTE, ...KEYED_ROUTE, ...ANY_ROUTE, 'NOT_FOUND'),
  );
