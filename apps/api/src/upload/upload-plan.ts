import { SetMetadata } from '@nestjs/common';
import type { AudioFormat } from '@speech/contracts';

/**
 * What a route does with an upload, declared beside the route (@UploadFor): answer now (`sync`), store it for a job
 * (`job`), or either, decided by a field that may come after the file (`sync-or-job`: POST /transcribe, async=true).
 * Routes that declare nothing are treated as `job`: the upload is kept as a file, as before.
 */
export type UploadUse = 'sync' | 'job' | 'sync-or-job';

export const UPLOAD_USE = 'speech:upload-use';

export const UploadFor = (use: UploadUse) => SetMetadata(UPLOAD_USE, use);

/** How the bytes of one upload travel once its format is known. */
export interface UploadPlan {
  /** Feed ffmpeg while the upload arrives (when a decode slot is free now; otherwise decode the file afterwards). */
  readonly decodeOnArrival: boolean;
  /** Write the upload to the request's temp folder: a job stores it, and a decode that cannot start now reads it. */
  readonly keepFile: boolean;
}

/**
 * Formats ffmpeg decodes from a pipe exactly as from a file, refusals and damage warnings included
 * (test/medium/streaming-decode.medium.spec.ts). Not m4a: MP4 keeps its index (moov) wherever the encoder put it,
 * often after the audio, and the mov demuxer must then seek back — impossible on a pipe. (mp3: from a pipe ffmpeg
 * reports no length, which the damage rule needs; the storage hands the decode the length the Xing/Info header
 * declares, as ffmpeg reads it from a file.)
 */
const DECODABLE_FROM_PIPE: ReadonlySet<AudioFormat> = new Set(['wav', 'mp3', 'flac', 'ogg', 'webm']);

export function planUpload(use: UploadUse, format: AudioFormat): UploadPlan {
  if (use === 'job' || !DECODABLE_FROM_PIPE.has(format)) return { decodeOnArrival: false, keepFile: true };
  // sync-or-job keeps the file too: `async=true` may still arrive after the file part.
  return { decodeOnArrival: true, keepFile: use === 'sync-or-job' };
}
