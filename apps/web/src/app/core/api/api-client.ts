import { HttpClient, type HttpEvent, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  type Job,
  type JobAccepted,
  type JobList,
  type JobListQuery,
  type ResponseFormat,
  type Task,
  TRANSCRIPT_FILE_NAMES,
  type TranscriptionResult,
} from '@speech/contracts';
import type { Observable } from 'rxjs';
import { routePath } from './api-routes';
import type { HealthReport, ServiceStatus } from './api-types';
import type { ApiQueryParams, JobForm, TranscribeForm } from './generated/api.generated';

/** The decoding options a person picks on the transcribe page. */
export interface TranscribeOptions {
  /** ISO 639-1 code; empty means detect. */
  language: string;
  task: Task;
  responseFormat: ResponseFormat;
  wordTimestamps: boolean;
}

type DownloadFormat = 'txt' | 'srt' | 'vtt' | 'json';
const FORMAT_OF_DOWNLOAD: Readonly<Record<DownloadFormat, ResponseFormat>> = { txt: 'text', srt: 'srt', vtt: 'vtt', json: 'json' };

/**
 * Typed calls to the API. Routes, form fields and option values come from the generated module, so a
 * renamed route or field fails the build. Uploads use `observe: 'events'` + `reportProgress` on the XHR
 * backend, which is the only Angular backend that reports upload progress.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  status(): Observable<ServiceStatus> {
    return this.http.get<ServiceStatus>(routePath('GET /status'));
  }

  health(): Observable<HealthReport> {
    return this.http.get<HealthReport>(routePath('GET /health'));
  }

  /** Synchronous transcription; always asks for `json` so the console gets segments and words to show. */
  transcribe(file: File, options: TranscribeOptions): Observable<HttpEvent<TranscriptionResult>> {
    return this.http.post<TranscriptionResult>(routePath('POST /transcribe'), toFormData(file, { ...options, responseFormat: 'json' }), {
      reportProgress: true,
      observe: 'events',
    });
  }

  /** Creates a background job (202 + the job). */
  createJob(file: File, options: TranscribeOptions): Observable<HttpEvent<JobAccepted>> {
    return this.http.post<JobAccepted>(routePath('POST /api/v1/jobs'), toFormData(file, options), {
      reportProgress: true,
      observe: 'events',
    });
  }

  listJobs(query: JobListQuery = {}): Observable<JobList> {
    const fields: ApiQueryParams['GET /api/v1/jobs'] = {
      ...(query.status !== undefined ? { status: Array.isArray(query.status) ? query.status.join(',') : query.status } : {}),
      ...(query.limit !== undefined ? { limit: String(query.limit) } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    };
    return this.http.get<JobList>(routePath('GET /api/v1/jobs'), { params: new HttpParams({ fromObject: fields }) });
  }

  job(id: string): Observable<Job> {
    return this.http.get<Job>(routePath('GET /api/v1/jobs/{id}', { id }));
  }

  cancelJob(id: string): Observable<Job> {
    return this.http.delete<Job>(routePath('DELETE /api/v1/jobs/{id}', { id }));
  }

  retryJob(id: string): Observable<Job> {
    return this.http.post<Job>(routePath('POST /api/v1/jobs/{id}/retry', { id }), null);
  }

  jobTranscript(id: string): Observable<TranscriptionResult> {
    return this.http.get<TranscriptionResult>(routePath('GET /api/v1/jobs/{id}/{file}', { id, file: TRANSCRIPT_FILE_NAMES.json }));
  }

  /** A job's transcript as the API formats it, for download. */
  jobTranscriptFile(id: string, format: DownloadFormat): Observable<string> {
    const file = TRANSCRIPT_FILE_NAMES[FORMAT_OF_DOWNLOAD[format]];
    return this.http.get(routePath('GET /api/v1/jobs/{id}/{file}', { id, file }), { responseType: 'text' });
  }

  /** URLs of the server-sent-event streams (read by SseClient, which needs plain URLs). */
  jobEventsUrl(id: string): string {
    return routePath('GET /api/v1/jobs/{id}/events', { id });
  }

  allJobEventsUrl(): string {
    return routePath('GET /api/v1/jobs/events');
  }
}

function toFormData(file: File, options: TranscribeOptions): FormData {
  // Both forms: the sync route's and the jobs route's (the generated types keep them in step with the API).
  const fields: TranscribeForm & JobForm = {
    file,
    task: options.task,
    response_format: options.responseFormat,
    word_timestamps: options.wordTimestamps,
    ...(options.language ? { language: options.language } : {}),
  };
  // Options go before the file: a streaming multipart parser has read them by the time the audio arrives.
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof Blob || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) form.append(name, String(item));
    else form.append(name, String(value));
  }
  form.append('file', fields.file, file.name);
  return form;
}
