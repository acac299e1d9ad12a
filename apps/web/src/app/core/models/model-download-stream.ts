import { DOCUMENT } from '@angular/common';
import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { type ApiFailure, toApiFailure } from '../api/api-error';
import { routePath } from '../api/api-routes';
import { SseParser } from '../api/sse-parser';
import { SettingsStore } from '../settings/settings.store';
import { type ModelDownloadEvent, toModelDownloadEvent } from './model-download-events';

/** A download that ended without a result: the API refused it, or the stream broke before completed/failed. */
export class ModelDownloadError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.detail ?? `model download failed (HTTP ${failure.status})`);
  }
}

/**
 * Starts (or re-attaches to) a model download and reads its progress. The route is a POST, which EventSource cannot
 * send, so this reads the text/event-stream body with fetch + ReadableStream and the shared SSE parser. Completes
 * after `completed`; a `failed` event is emitted as a value (it carries the server's code) and then completes too.
 * Unsubscribing only stops reading: the server keeps downloading, and a second POST re-attaches.
 */
@Injectable({ providedIn: 'root' })
export class ModelDownloadStream {
  private readonly settings = inject(SettingsStore);
  private readonly window = inject(DOCUMENT).defaultView;

  follow(id: string): Observable<ModelDownloadEvent> {
    return new Observable<ModelDownloadEvent>((subscriber) => {
      const abort = new AbortController();
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      const key = this.settings.apiKey();
      if (key) headers['Authorization'] = `Bearer ${key}`;

      const read = async (): Promise<void> => {
        const response = await this.fetch(routePath('POST /v1/models/{id}/download', { id }), { method: 'POST', headers, signal: abort.signal, cache: 'no-store' });
        if (!response.ok) throw new ModelDownloadError(await refusal(response));
        if (!response.body) throw new ModelDownloadError({ status: response.status, detail: 'The download answered without a body.' });
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const parser = new SseParser();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const message of parser.push(decoder.decode(value, { stream: true }))) {
            const event = toModelDownloadEvent(message);
            if (!event) continue;
            subscriber.next(event);
            if (event.type !== 'progress') {
              subscriber.complete();
              abort.abort();
              return;
            }
          }
        }
        // The server ends the stream only after completed/failed; an earlier end is a dropped connection.
        throw new ModelDownloadError({ status: 0, detail: 'The progress stream ended before the download did.' });
      };

      read().catch((error: unknown) => {
        if (abort.signal.aborted || subscriber.closed) return;
        subscriber.error(error instanceof ModelDownloadError ? error : new ModelDownloadError({ status: 0, detail: error instanceof Error ? error.message : undefined }));
      });
      return () => abort.abort();
    });
  }

  private fetch(url: string, init: RequestInit): Promise<Response> {
    const fetchFn = this.window?.fetch?.bind(this.window) ?? globalThis.fetch;
    return fetchFn(url, init);
  }
}

/** A refused POST (401, 403, 404 MODEL_NOT_FOUND, 503 MODEL_DOWNLOADS_BUSY, …) read like any other API error. */
async function refusal(response: Response): Promise<ApiFailure> {
  const body = await response.text().catch(() => '');
  const requestId = response.headers?.get('x-request-id');
  const headers = new HttpHeaders(requestId ? { 'x-request-id': requestId } : {});
  return toApiFailure(new HttpErrorResponse({ error: body, status: response.status, headers, url: response.url }));
}
