import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { SettingsStore } from '../settings/settings.store';
import { SseParser, type SseMessage } from './sse-parser';

export type SseUpdate =
  | { readonly kind: 'open' }
  | { readonly kind: 'message'; readonly message: SseMessage }
  /** The stream dropped; the client reconnects by itself after `delayMs`. */
  | { readonly kind: 'reconnecting'; readonly delayMs: number };

/** A stream the server refused (4xx other than 429): reconnecting would not help. */
export class SseRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`event stream refused with HTTP ${status}`);
  }
}

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/**
 * Server-sent events over fetch rather than EventSource, because EventSource cannot send the
 * `Authorization` header an API key needs. Reconnects with Last-Event-ID and back-off; unsubscribing aborts.
 */
@Injectable({ providedIn: 'root' })
export class SseClient {
  private readonly settings = inject(SettingsStore);
  private readonly window = inject(DOCUMENT).defaultView;

  connect(url: string): Observable<SseUpdate> {
    return new Observable<SseUpdate>((subscriber) => {
      const abort = new AbortController();
      const parser = new SseParser();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let failures = 0;

      const open = async (): Promise<void> => {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        const key = this.settings.apiKey();
        if (key) headers['Authorization'] = `Bearer ${key}`;
        if (parser.lastEventId !== undefined) headers['Last-Event-ID'] = parser.lastEventId;
        try {
          const response = await this.fetch(url, { headers, signal: abort.signal, cache: 'no-store' });
          if (!response.ok) {
            const body = await response.text().catch(() => '');
            if (response.status >= 400 && response.status < 500 && response.status !== 429) {
              subscriber.error(new SseRefusedError(response.status, body));
              return;
            }
            throw new Error(`HTTP ${response.status}`);
          }
          if (!response.body) throw new Error('no response body');
          failures = 0;
          subscriber.next({ kind: 'open' });
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            for (const message of parser.push(decoder.decode(value, { stream: true }))) subscriber.next({ kind: 'message', message });
          }
          throw new Error('stream ended');
        } catch {
          if (abort.signal.aborted || subscriber.closed) return;
          failures += 1;
          const delayMs = Math.min(MAX_DELAY_MS, (parser.retryMs ?? FIRST_DELAY_MS) * 2 ** Math.min(failures - 1, 5));
          subscriber.next({ kind: 'reconnecting', delayMs });
          timer = setTimeout(() => void open(), delayMs);
        }
      };
      void open();
      return () => {
        abort.abort();
        if (timer !== undefined) clearTimeout(timer);
      };
    });
  }

  private fetch(url: string, init: RequestInit): Promise<Response> {
    const fetchFn = this.window?.fetch?.bind(this.window) ?? globalThis.fetch;
    return fetchFn(url, init);
  }
}
