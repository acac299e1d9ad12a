import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { JobOptions } from '@speech/contracts';
import { subtitleOptionsToFields } from '@speech/transcript-formats';
import { DomainError } from '../common/domain-error';
import { parseNativeRequest } from '../transcription/transcription-request.parser';

/** A job create request after validation (the file itself is checked by content later). */
export interface JobRequest {
  readonly options: JobOptions;
  readonly callbackUrl: string | null;
}

const MAX_IDEMPOTENCY_KEY = 255;

/** The same fields as `POST /transcribe`, plus `callback_url`; `async` is accepted and ignored here. */
export function parseJobRequest(fields: Record<string, unknown>): JobRequest {
  const parsed = parseNativeRequest(fields);
  const callback = fields['callback_url'];
  if (callback !== undefined && typeof callback !== 'string') {
    throw new DomainError('INVALID_OPTION', 'callback_url must be a single URL.', { param: 'callback_url' });
  }
  return {
    options: {
      task: parsed.options.task,
      temperature: parsed.options.temperature,
      word_timestamps: parsed.options.wordTimestamps,
      response_format: parsed.responseFormat,
      ...(parsed.options.language ? { language: parsed.options.language } : {}),
      ...(parsed.options.prompt ? { prompt: parsed.options.prompt } : {}),
      ...subtitleOptionsToFields(parsed.subtitles ?? {}),
    },
    callbackUrl: callback && callback.trim() ? callback.trim() : null,
  };
}

export function idempotencyKeyOf(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const key = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY || !/^[\x21-\x7e]+$/.test(key)) {
    throw new DomainError('INVALID_OPTION', `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY} printable ASCII characters.`, { param: 'Idempotency-Key' });
  }
  return key;
}

/** Same key + same fingerprint = a replay; same key + another fingerprint = a client bug (409). */
export async function requestFingerprint(request: JobRequest, audioPath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(audioPath)) hash.update(chunk as Buffer);
  hash.update(JSON.stringify({ options: request.options, callback: request.callbackUrl }));
  return hash.digest('hex');
}
