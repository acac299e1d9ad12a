import { TestBed } from '@angular/core/testing';
import { TextDecoder, TextEncoder } from 'node:util';
import { SettingsStore } from '../settings/settings.store';
import { SseClient, SseRefusedError, type SseUpdate } from './sse-client';

/** A fetch Response whose body yields the given chunks, then ends. */
function streamResponse(chunks: string[], status = 200): Response {
  const encoder = new TextEncoder();
  let index = 0;
  return {
    ok: status < 300,
    status,
    text: async () => chunks.join(''),
    body: { getReader: () => ({ read: async () => (index < chunks.length ? { done: false, value: encoder.encode(chunks[index++]) } : { done: true }) }) },
  } as unknown as Response;
}

describe('SseClient', () => {
  const originalFetch = window.fetch;
  let fetchMock: jest.Mock;

  beforeAll(() => Object.assign(globalThis, { TextDecoder }));

  beforeEach(() => {
    jest.useFakeTimers();
    localStorage.clear();
    fetchMock = jest.fn();
    window.fetch = fetchMock;
  });

  afterEach(() => {
    jest.useRealTimers();
    window.fetch = originalFetch;
  });

  it('streams events with the API key, then reconnects with Last-Event-ID', async () => {
    TestBed.inject(SettingsStore).setApiKey('k1');
    fetchMock
      .mockResolvedValueOnce(streamResponse(['event: job\nid: 3\ndata: {"n":1}\n', '\n']))
      .mockResolvedValueOnce(streamResponse(['data: again\n\n']))
      .mockReturnValue(new Promise(() => undefined));
    const updates: SseUpdate[] = [];
    const subscription = TestBed.inject(SseClient).connect('/api/v1/jobs/events').subscribe((u) => updates.push(u));
    await jest.advanceTimersByTimeAsync(0);
    expect(fetchMock.mock.calls[0][1].headers).toEqual({ Accept: 'text/event-stream', Authorization: 'Bearer k1' });
    expect(updates.slice(0, 3)).toEqual([
      { kind: 'open' },
      { kind: 'message', message: { event: 'job', data: '{"n":1}', id: '3' } },
      { kind: 'reconnecting', delayMs: 1000 },
    ]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(fetchMock.mock.calls[1][1].headers['Last-Event-ID']).toBe('3');
    expect(updates).toContainEqual({ kind: 'message', message: { event: 'message', data: 'again', id: '3' } });
    subscription.unsubscribe();
    expect((fetchMock.mock.calls[1][1].signal as AbortSignal).aborted).toBe(true);
  });

  it('gives up on a refusal such as 401 or 404', async () => {
    fetchMock.mockResolvedValue(streamResponse(['{"code":"JOB_NOT_FOUND"}'], 404));
    const errors: unknown[] = [];
    TestBed.inject(SseClient).connect('/api/v1/jobs/x/events').subscribe({ error: (e) => errors.push(e) });
    await jest.advanceTimersByTimeAsync(5000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(errors[0]).toBeInstanceOf(SseRefusedError);
    expect((errors[0] as SseRefusedError).status).toBe(404);
  });

  it('backs off while the server is down', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const delays: number[] = [];
    const subscription = TestBed.inject(SseClient)
      .connect('/x')
      .subscribe((u) => u.kind === 'reconnecting' && delays.push(u.delayMs));
    await jest.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    subscription.unsubscribe();
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
  });
});
