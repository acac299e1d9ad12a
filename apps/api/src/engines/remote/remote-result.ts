import { type ErrorCode, isErrorCode, type TranscriptionResult } from '@speech/contracts';
import { DomainError } from '../../common/domain-error';

/** Codes a model server may answer with that mean the same thing to our client. */
const PASSED_THROUGH: readonly ErrorCode[] = [
  'UNDECODABLE_AUDIO', 'UNSUPPORTED_MEDIA', 'AUDIO_TOO_LONG', 'INVALID_OPTION', 'ENGINE_BUSY',
  'MODEL_UNAVAILABLE', 'ENGINE_TIMEOUT', 'EMPTY_FILE', 'FILE_TOO_LARGE',
];

/** A model server's problem+json (or anything else) → our DomainError; unknown failures are ENGINE_FAILED. */
export function remoteError(status: number, bodyText: string, retryAfter?: string | null): DomainError {
  let body: { code?: unknown; detail?: unknown } | undefined;
  try {
    body = JSON.parse(bodyText) as { code?: unknown; detail?: unknown };
  } catch {
    body = undefined;
  }
  const detail = typeof body?.detail === 'string' ? body.detail : undefined;
  if (body && isErrorCode(body.code) && PASSED_THROUGH.includes(body.code)) {
    const seconds = retryAfter ? Number(retryAfter) : undefined;
    return new DomainError(body.code, detail, {}, Number.isFinite(seconds) ? seconds : undefined);
  }
  return new DomainError('ENGINE_FAILED', `The model server answered ${status}${detail ? `: ${detail}` : ''}.`);
}

/** Checks the model server's answer has the shape of the shared result before anyone relies on it. */
export function parseRemoteResult(bodyText: string): TranscriptionResult {
  let value: unknown;
  try {
    value = JSON.parse(bodyText);
  } catch {
    throw new DomainError('ENGINE_FAILED', 'The model server answered with something that is not JSON.');
  }
  const result = value as Partial<TranscriptionResult>;
  const valid =
    typeof result === 'object' && result !== null && typeof result.text === 'string' && typeof result.language === 'string' &&
    Array.isArray(result.segments) &&
    result.segments.every((s) => typeof s?.start === 'number' && typeof s?.end === 'number' && typeof s?.text === 'string');
  if (!valid) throw new DomainError('ENGINE_FAILED', 'The model server answered JSON that is not a transcription result.');
  return result as TranscriptionResult;
}
