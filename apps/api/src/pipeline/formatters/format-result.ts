import { deflateSync } from 'node:zlib';
import type { TranscriptionResult } from '@speech/contracts';
import { type FormatRequest as LibraryFormatRequest, type FormattedResponse, formatResponse } from '@speech/transcript-formats';

export type { FormattedResponse };

/** What the API's routes ask of the shared formatters (@speech/transcript-formats); zlib is supplied here. */
export type FormatRequest = Omit<LibraryFormatRequest, 'compressionRatio'>;

export function formatResult(result: TranscriptionResult, request: FormatRequest): FormattedResponse {
  return formatResponse(result, { ...request, compressionRatio: zlibCompressionRatio });
}

/** Whisper's repetition signal: raw UTF-8 bytes over zlib-compressed bytes (as openai-whisper computes it). */
export function zlibCompressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length === 0 ? 0 : bytes.length / deflateSync(bytes).length;
}
