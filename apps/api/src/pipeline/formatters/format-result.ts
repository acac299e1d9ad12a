import type { TranscriptionResult } from '@speech/contracts';
import { type FormatRequest as LibraryFormatRequest, type FormattedResponse, formatResponse } from '@speech/transcript-formats';
import { compressionRatio } from '../segment-quality/compression-ratio';

export type { FormattedResponse };

/** What the API's routes ask of the shared formatters (@speech/transcript-formats); zlib is supplied here. */
export type FormatRequest = Omit<LibraryFormatRequest, 'compressionRatio'>;

export function formatResult(result: TranscriptionResult, request: FormatRequest): FormattedResponse {
  return formatResponse(result, { ...request, compressionRatio });
}
