import { HttpClient, type HttpEvent, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { JobListQuery } from '@speech/contracts';
import type { Observable } from 'rxjs';
import { routePath } from './api-routes';
import { type PipelineOptions, pipelineFormFields } from './pipeline-fields';
import type {
  ApiPathParams,
  ApiQueryParams,
  ApiResponses,
  JobForm,
  ResponseFormat,
  Task,
  TranscribeForm,
  TranscriptionResult,
} from './generated/api.generated';

/** The decoding options a person picks on the transcribe page. */
export interface TranscribeOptions {
  /** ISO 639-1 code; empty means detect. */
  language: string;
  task: Task;
  responseFormat: ResponseFormat;
  wordTimestamps: boolean;
  /** Speakers, voice activity detection and the hallucination filter; absent: the API's defaults. */
  pipeline?: PipelineOptions;
}

type DownloadFormat = 'txt' | 'srt' | 'vtt' | 'json';
/** Typed by the document's enum for `{file}`: a file the API renames fails the build here. */
const FILE_OF_DOWNLOAD: Readonly<Record<DownloadFormat, ApiPathParams['GET /api/v1/jobs/{id}/{file}']['file']>> = {
  txt: 'transcript.txt',
  srt: 'transcript.srt',
  vtt: 'transcript.vtt',
  json: 'transcript.json',
};

/**
 * Typed calls to the API. Routes, parameters, form fields and answer types all come from the module generated from
 * the API's OpenAPI document, so a renamed route, field or answer member fails the build. Uploads use
 * `observe: 'events'` + `reportProgress` on the XHR backend, the only Angular backend that reports upload progress.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  status(): Observable<ApiResponses['GET /status']> {
    return this.http.get<ApiResponses['GET /status']>(routePath('GET /status'));
  }

  health(): Observable<ApiResponses['GET /health']> {
    return this.http.get<ApiResponses['GET /health']>(routePath('GET /health'));
  }

  /**
   * Synchronous transcription, streamed (stream=true, always `json`): the text arrives as server-sent events (read
   * the growing body from the DownloadProgress events' partialText, see core/streaming) and the last event carries
   * the whole TranscriptionResult (segments and words to show). XHR, so the upload reports its progress too.
   */
  transcribe(file: File, options: TranscribeOptions): Observable<HttpEvent<string>> {
    return this.http.post(routePath('POST /transcribe'), toFormData(file, { ...options, responseFormat: 'json' }, { stream: true }), {
      reportProgress: true,
      observe: 'events',
      responseType: 'text',
      headers: { Accept: 'text/event-stream' },
    });
  }

  /** Creates a background job (202 + the job). */
  createJob(file: File, options: TranscribeOptions): Observable<HttpEvent<ApiResponses['POST /api/v1/jobs']>> {
    return this.http.post<ApiResponses['POST /api/v1/jobs']>(routePath('POST /api/v1/jobs'), toFormData(file, options), {
      reportProgress: true,
      observe: 'events',
    });
  }

  listJobs(query: JobListQuery = {}): Observable<ApiResponses['GET /api/v1/jobs']> {
    const fields: ApiQueryParams['GET /api/v1/jobs'] = {
      ...(query.status !== undefined ? { status: Array.isArray(query.status) ? query.status.join(',') : query.status } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    };
    return this.http.get<ApiResponses['GET /api/v1/jobs']>(routePath('GET /api/v1/jobs'), { params: new HttpParams({ fromObject: fields }) });
  }

  job(id: string): Observable<ApiResponses['GET /api/v1/jobs/{id}']> {
    return this.http.get<ApiResponses['GET /api/v1/jobs/{id}']>(routePath('GET /api/v1/jobs/{id}', { id }));
  }

  cancelJob(id: string): Observable<ApiResponses['DELETE /api/v1/jobs/{id}']> {
    return this.http.delete<ApiResponses['DELETE /api/v1/jobs/{id}']>(routePath('DELETE /api/v1/jobs/{id}', { id }));
  }

  retryJob(id: string): Observable<ApiResponses['POST /api/v1/jobs/{id}/retry']> {
    return this.http.post<ApiResponses['POST /api/v1/jobs/{id}/retry']>(routePath('POST /api/v1/jobs/{id}/retry', { id }), null);
  }

  /** The job's transcript as transcript.json: a TranscriptionResult. */
  jobTranscript(id: string): Observable<TranscriptionResult> {
    return this.http.get<TranscriptionResult>(routePath('GET /api/v1/jobs/{id}/{file}', { id, file: FILE_OF_DOWNLOAD.json }));
  }

  /** A job's transcript as the API formats it, for download. */
  jobTranscriptFile(id: string, format: DownloadFormat): Observable<string> {
    return this.http.get(routePath('GET /api/v1/jobs/{id}/{file}', { id, file: FILE_OF_DOWNLOAD[format] }), { responseType: 'text' });
  }

  /** URLs of the server-sent-event streams (read by SseClient, which needs plain URLs). */
  jobEventsUrl(id: string): string {
    return routePath('GET /api/v1/jobs/{id}/events', { id });
  }

  allJobEventsUrl(): string {
    return routePath('GET /api/v1/jobs/events');
  }
}

function toFormData(file: File, options: TranscribeOptions, extra: Pick<TranscribeForm, 'stream'> = {}): FormData {
  // Both forms: the sync route's and the jobs route's (the generated types keep them in step with the API).
  const fields: TranscribeForm & JobForm = {
    file,
    task: options.task,
    response_format: options.responseFormat,
    word_timestamps: options.wordTimestamps,
    ...extra,
    ...(options.language ? { language: options.language } : {}),
  };
  // Options go before the file: a streaming multipart parser has read them by the time the audio arrives.
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof Blob || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) form.append(name, String(item));
    else form.append(name, String(value));
  }
  for (const [name, value] of pipelineFormFields(options.pipeline)) form.append(name, value);
  form.append('file', fields.file, file.name);
  return form;
}
