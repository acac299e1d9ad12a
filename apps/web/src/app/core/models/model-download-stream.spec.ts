import { TestBed } from '@angular/core/testing';
import { TextDecoder, TextEncoder } from 'node:util';
import { SettingsStore } from '../settings/settings.store';
import type { ModelDownloadEvent } from './model-download-events';
import { ModelDownloadError, ModelDownloadStream } from './model-download-stream';

/** A fetch Response whose body yields the given chunks (as a network would split them), then ends. */
function streamResponse(chunks: string[], status = 200, headers: Record<string, string> = {}): Response {
  const encoder = new TextEncoder();
  let index = 0;
  return {
    ok: status < 300,
    status,
    url: '/v1/models/tiny.en/download',
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    text: async () => chunks.join(''),
    body: { getReader: () => ({ read: async () => (index < chunks.length ? { done: false, value: encoder.encode(chunks[index++]) } : { done: true }) }) },
  } as unknown as Response;
}

async function collect(id: string): Promise<{ events: ModelDownloadEvent[]; error?: unknown; completed: boolean }> {
  const events: ModelDownloadEvent[] = [];
  return new Promise((resolve) => {
    TestBed.inject(ModelDownloadStream)
      .follow(id)
      .subscribe({
        next: (event) => events.push(event),
        error: (error: unknown) => resolve({ events, error, completed: false }),
        complete: () => resolve({ events, completed: true }),
      });
  });
}

describe('ModelDownloadStream', () => {
  const originalFetch = window.fetch;
  let fetchMock: jest.Mock;

  beforeAll(() => Object.assign(globalThis, { TextDecoder }));

  beforeEach(() => {
    localStorage.clear();
    fetchMock = jest.fn();
    window.fetch = fetchMock;
  });

  afterEach(() => {
    window.fetch = originalFetch;
  });

  it('POSTs with the API key and reads progress events split across chunks until completed', async () => {
    TestBed.inject(SettingsStore).setApiKey('admin-key');
    fetchMock.mockResolvedValue(
      streamResponse([
        'event: model.download.progress\ndata: {"id":"tiny.en","received_bytes":1',
        '00,"total_bytes":400}\n\nevent: model.download.progress\r\n',
        'data: {"id":"tiny.en","received_bytes":300,"total_bytes":400}\r\n\r\n: keep-alive\n\n',
        'event: model.download.completed\ndata: {"id":"tiny.en","size_bytes":400,"sha256":"ab12"}\n\n',
      ]),
    );
    const { events, completed } = await collect('tiny.en');
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/v1/models/tiny.en/download');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ Accept: 'text/event-stream', Authorization: 'Bearer admin-key' });
    expect(events).toEqual([
      { type: 'progress', id: 'tiny.en', receivedBytes: 100, totalBytes: 400 },
      { type: 'progress', id: 'tiny.en', receivedBytes: 300, totalBytes: 400 },
      { type: 'completed', id: 'tiny.en', sizeBytes: 400, sha256: 'ab12' },
    ]);
    expect(completed).toBe(true);
    expect((init.signal as AbortSignal).aborted).toBe(true);
  });

  it('emits a failed event with its code, message and request id, then completes', async () => {
    fetchMock.mockResolvedValue(
      streamResponse([
        'event: model.download.progress\ndata: {"id":"base","received_bytes":5,"total_bytes":null}\n\n',
        'event: model.download.failed\ndata: {"id":"base","error":{"code":"MODEL_CHECKSUM_MISMATCH","message":"checksum mismatch","request_id":"req-9"}}\n\n',
      ]),
    );
    const { events, completed } = await collect('base');
    expect(events).toEqual([
      { type: 'progress', id: 'base', receivedBytes: 5, totalBytes: null },
      { type: 'failed', id: 'base', failure: { code: 'MODEL_CHECKSUM_MISMATCH', status: 502, detail: 'checksum mismatch', requestId: 'req-9' } },
    ]);
    expect(completed).toBe(true);
  });

  it('turns a refused POST into a ModelDownloadError carrying the API error', async () => {
    fetchMock.mockResolvedValue(
      streamResponse(['{"error":{"message":"No model \\"nope\\"","type":"invalid_request_error","code":"MODEL_NOT_FOUND"}}'], 404, { 'x-request-id': 'req-4' }),
    );
    const { error } = await collect('nope');
    expect(error).toBeInstanceOf(ModelDownloadError);
    expect((error as ModelDownloadError).failure).toEqual({ code: 'MODEL_NOT_FOUND', status: 404, detail: 'No model "nope"', requestId: 'req-4' });
  });

  it('reports a stream that ends before completed or failed as an error', async () => {
    fetchMock.mockResolvedValue(streamResponse(['event: model.download.progress\ndata: {"id":"tiny.en","received_bytes":1,"total_bytes":2}\n\n']));
    const { events, error } = await collect('tiny.en');
    expect(events).toHaveLength(1);
    expect((error as ModelDownloadError).failure).toEqual({ status: 0, detail: 'The progress stream ended before the download did.' });
  });

  it('ignores events it does not know and stops reading when unsubscribed', async () => {
    let release: (value: { done: boolean; value?: Uint8Array }) => void = () => undefined;
    const reads = [
      { done: false, value: new TextEncoder().encode('event: model.download.started\ndata: {"id":"x"}\n\n') },
    ];
    fetchMock.mockResolvedValue({
      ok: true,
      status: 200,
      body: { getReader: () => ({ read: () => (reads.length ? Promise.resolve(reads.shift()) : new Promise((r) => (release = r))) }) },
    });
    const events: ModelDownloadEvent[] = [];
    const subscription = TestBed.inject(ModelDownloadStream)
      .follow('x')
      .subscribe((event) => events.push(event));
    await new Promise((r) => setTimeout(r, 0));
    subscription.unsubscribe();
    expect((fetchMock.mock.calls[0][1] as RequestInit).signal?.aborted).toBe(true);
    release({ done: true });
    expect(events).toEqual([]);
  });
});
