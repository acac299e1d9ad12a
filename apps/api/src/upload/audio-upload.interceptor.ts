import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { finalize, type Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { TempWorkspace } from '../common/temp-workspace';
import { watchUploadIdle } from '../limits/upload-idle-timeout';
import { insufficientStorage, isDiskFull } from '../common/disk-full';

export const UPLOAD_FIELD = 'file';
const UPLOAD_FILE_NAME = 'upload';

/** What the handler gets: the upload on disk in the request's own workspace. */
export interface ReceivedUpload {
  readonly path: string;
  readonly size: number;
  readonly workspace: TempWorkspace;
}

export type RequestWithUpload = Request & { upload?: ReceivedUpload };

/**
 * Streams the multipart `file` field to a private temp folder (never into memory), enforcing the
 * size cap while the bytes arrive. The folder — upload and anything decoded from it — is removed
 * when the response ends, whatever happened.
 */
@Injectable()
export class AudioUploadInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

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
    try {
      // A connection that closed while the folder was made, before the body was read, has already fired 'close' and
      // will never 'end': multer would wait forever (and the folder would stay).
      if (request.destroyed && !request.readableEnded) throw new DomainError('CANCELLED', 'The client closed the connection during the upload.');
      await receive(request, response, workspace, maxFileSize, idleSeconds);
      if (!request.file) throw missingFile(request);
      if (request.file.size === 0) throw new DomainError('EMPTY_FILE');
      request.upload = { path: request.file.path, size: request.file.size, workspace };
    } catch (error) {
      // A stalled upload is abandoned: close the connection rather than wait for (or drain) the rest of it.
      if (error instanceof DomainError && error.code === 'REQUEST_TIMEOUT') response.setHeader('Connection', 'close');
      await workspace.dispose();
      throw error instanceof DomainError ? error : translateUploadError(error, maxFileSize);
    }
    return next.handle().pipe(finalize(() => void workspace.dispose()));
  }
}

/**
 * The longest form field: a known speaker's reference clip (`known_speaker_references[]`, at most 2 MiB of audio,
 * diarization/diarization-options.ts) as a base64 data URL. Fields are held in memory, so with 32 fields a body's
 * fields stay under ~90 MB; the other fields are short text.
 */
const MAX_FIELD_BYTES = Math.ceil((2 * 1024 * 1024 * 4) / 3) + 1024;

function receive(request: Request, response: Response, workspace: TempWorkspace, maxFileSize: number, idleSeconds: number): Promise<void> {
  const upload = multer({
    storage: multer.diskStorage({
      destination: workspace.path,
      // Never the client's name: it may hold path tricks, and it tells us nothing about the content.
      filename: (_request, _file, callback) => callback(null, UPLOAD_FILE_NAME),
    }),
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
