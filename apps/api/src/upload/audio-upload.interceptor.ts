import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AudioFormat } from '@speech/contracts';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { finalize, type Observable } from 'rxjs';
import type { DecodeOnArrival } from '../audio/streaming-decode';
import { StreamingDecoder } from '../audio/streaming-decode';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { TempWorkspace } from '../common/temp-workspace';
import { watchUploadIdle } from '../limits/upload-idle-timeout';
import { insufficientStorage, isDiskFull } from '../common/disk-full';
import { StreamingAudioStorage } from './streaming-audio-storage';
import { UPLOAD_USE, type UploadUse } from './upload-plan';

export const UPLOAD_FIELD = 'file';
const UPLOAD_FILE_NAME = 'upload';
/** The decoded audio's name in the workspace: a decode on arrival and a later decode of the file write it alike. */
export const DECODED_FILE_NAME = 'audio.f32';

/** What the handler gets: the upload, its format, and the request's own workspace. */
export interface ReceivedUpload {
  readonly size: number;
  /** Decided while the upload arrived, by the file sniffer's rules (audio/stream-sniffer.ts). */
  readonly format: AudioFormat;
  /** The upload on disk; absent when a sync-only route had it decoded while it arrived and never needs the file. */
  readonly path?: string;
  /** The decode that ran while the upload arrived (sync routes, a decode slot free, a format a pipe can carry). */
  readonly decodedOnArrival?: DecodeOnArrival;
  readonly workspace: TempWorkspace;
}

export type RequestWithUpload = Request & { upload?: ReceivedUpload };

/** The upload's file, for routes that keep it (jobs, and /transcribe which may turn into one). */
export function uploadFilePath(upload: ReceivedUpload): string {
  if (!upload.path) throw new DomainError('INTERNAL_ERROR', 'This route received its upload without keeping the file.');
  return upload.path;
}

/**
 * Receives the multipart `file` field without holding it in memory, enforcing the size cap while the bytes arrive.
 * The format is sniffed from the first bytes and a non-audio upload refused at once (415 before the body is read);
 * then, by the route's @UploadFor plan, the bytes go straight into the decoder, to a private temp folder, or both
 * (streaming-audio-storage.ts). The folder — upload and anything decoded from it — is removed, and a decode still
 * running is killed, when the response ends, whatever happened.
 */
@Injectable()
export class AudioUploadInterceptor implements NestInterceptor {
  constructor(
    private readonly config: AppConfig,
    private readonly decoder: StreamingDecoder,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<RequestWithUpload>();
    const response = context.switchToHttp().getResponse<Response>();
    const { maxFileSize, tmpDir } = this.config.upload;
    const idleSeconds = this.config.limits.uploadIdleTimeoutSeconds;
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (declaredLength > maxFileSize + 1024 * 1024) {
      // Refuse before reading a byte: the body cannot fit, multipart overhead included.
      response.setHeader('Connection', 'close');
      throw tooLarge(maxFileSize);
    }
    const workspace = await TempWorkspace.create(tmpDir).catch((error: unknown) => {
      throw isDiskFull(error) ? insufficientStorage() : error;
    });
    const use = this.reflector.get<UploadUse | undefined>(UPLOAD_USE, context.getHandler()) ?? 'job';
    // Settled by the storage as soon as the first bytes show the upload is not accepted audio: the answer goes out
    // then, not after the body (multer itself would wait for the body's end before it reports the error).
    let refused: DomainError | undefined;
    let refuse!: (error: DomainError) => void;
    const refusal = new Promise<never>((_resolve, reject) => (refuse = reject));
    refusal.catch(() => undefined);
    const storage = new StreamingAudioStorage({
      use,
      // Never the client's name: it may hold path tricks, and it tells us nothing about the content.
      filePath: workspace.file(UPLOAD_FILE_NAME),
      decodedPath: workspace.file(DECODED_FILE_NAME),
      maxSeconds: this.config.audio.maxAudioSeconds,
      decoder: this.decoder,
      onRefused: (error) => {
        refused = error;
        refuse(error);
      },
    });
    const disposeAll = async () => {
      await storage.dispose();
      await workspace.dispose();
    };
    try {
      // A connection that closed while the folder was made, before the body was read, has already fired 'close' and
      // will never 'end': multer would wait forever (and the folder would stay).
      if (request.destroyed && !request.readableEnded) throw new DomainError('CANCELLED', 'The client closed the connection during the upload.');
      await Promise.race([receive(request, response, storage, maxFileSize, idleSeconds), refusal]);
      if (!request.file) throw missingFile(request);
      const received = storage.received;
      if (!received || received.size === 0 || !received.format) throw new DomainError('EMPTY_FILE');
      request.upload = { size: received.size, format: received.format, path: received.path, decodedOnArrival: received.decodedOnArrival, workspace };
    } catch (error) {
      // A stalled upload is abandoned, and a refused one is not read further than a bounded drain
      // (limits/refusal-drain.ts): close the connection rather than wait for the rest of it.
      if (error instanceof DomainError && (error.code === 'REQUEST_TIMEOUT' || error === refused)) response.setHeader('Connection', 'close');
      await disposeAll();
      throw error instanceof DomainError ? error : translateUploadError(error, maxFileSize);
    }
    return next.handle().pipe(finalize(() => void disposeAll()));
  }
}

/**
 * The longest form field: a known speaker's reference clip (`known_speaker_references[]`, at most 2 MiB of audio,
 * diarization/diarization-options.ts) as a base64 data URL. Fields are held in memory, so with 32 fields a body's
 * fields stay under ~90 MB; the other fields are short text.
 */
const MAX_FIELD_BYTES = Math.ceil((2 * 1024 * 1024 * 4) / 3) + 1024;

function receive(request: Request, response: Response, storage: StreamingAudioStorage, maxFileSize: number, idleSeconds: number): Promise<void> {
  const upload = multer({
    storage,
    limits: { fileSize: maxFileSize, files: 1, fields: 32, fieldSize: MAX_FIELD_BYTES, parts: 40, headerPairs: 200 },
  }).single(UPLOAD_FIELD);
  return new Promise((resolve, reject) => {
    // Only while the body arrives: once it is in, the client may wait silently for as long as the engine works.
    const stopWatching = watchUploadIdle(request, idleSeconds, (error) => {
      stopWatching();
      reject(error);
    });
    upload(request, response, (error?: unknown) => {
      stopWatching();
      if (error) reject(error);
      else resolve();
    });
  });
}

function translateUploadError(error: unknown, maxFileSize: number): DomainError {
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return tooLarge(maxFileSize);
      case 'LIMIT_UNEXPECTED_FILE':
        return new DomainError('INVALID_OPTION', `Unexpected file field "${error.field ?? ''}": send exactly one file in the field "${UPLOAD_FIELD}".`, { param: error.field ?? UPLOAD_FIELD });
      case 'LIMIT_FILE_COUNT':
        return new DomainError('INVALID_OPTION', `Send exactly one file in the field "${UPLOAD_FIELD}".`, { param: UPLOAD_FIELD });
      default:
        return new DomainError('INVALID_OPTION', `The multipart body breaks a limit: ${error.message}.`);
    }
  }
  // The partial file goes with the workspace; the client may retry once space is free (or on another instance).
  if (isDiskFull(error)) return insufficientStorage();
  const message = error instanceof Error ? error.message : String(error);
  if (/aborted|ECONNRESET/i.test(message)) return new DomainError('CANCELLED', 'The client closed the connection during the upload.');
  return new DomainError('INVALID_OPTION', `The request body is not valid multipart/form-data: ${message}.`);
}

function missingFile(request: Request): DomainError {
  const type = request.headers['content-type'] ?? '';
  const hint = type.startsWith('multipart/form-data') ? '' : ` (the request was sent as "${type.split(';')[0] || 'no content type'}")`;
  return new DomainError('MISSING_FILE', `No file was uploaded: send the audio as multipart/form-data in the field "${UPLOAD_FIELD}"${hint}.`, { param: UPLOAD_FIELD });
}

function tooLarge(maxFileSize: number): DomainError {
  return new DomainError('FILE_TOO_LARGE', `The file is larger than the limit of ${maxFileSize} bytes (${(maxFileSize / 1048576).toFixed(0)} MiB).`, { limit_bytes: maxFileSize });
}
