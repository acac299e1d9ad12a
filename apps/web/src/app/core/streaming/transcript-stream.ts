import { SseParser } from '../api/sse-parser';

/**
 * OpenAI's streamed transcription (`stream=true` on POST /v1/audio/transcriptions): server-sent events whose data
 * is `{"type":"transcript.text.delta","delta":…}` and finally `{"type":"transcript.text.done","text":…}`.
 */
export type TranscriptStreamEvent = { type: 'transcript.text.delta'; delta: string } | { type: 'transcript.text.done'; text: string };

/** The server answered, but not with an event stream (a server without streaming): use the plain request. */
export class StreamingUnsupported extends Error {
  constructor(readonly status: number) {
    super(`no transcript stream (HTTP ${status})`);
  }
}

/** Reads the event stream's text chunks; reports each delta; resolves with the final text (or the deltas joined). */
export async function readTranscriptStream(chunks: AsyncIterable<string>, onDelta: (textSoFar: string) => void): Promise<string> {
  const parser = new SseParser();
  let soFar = '';
  for await (const chunk of chunks) {
    for (const message of parser.push(chunk)) {
      if (message.data === '[DONE]') return soFar;
      const event = parseEvent(message.data);
      if (event?.type === 'transcript.text.delta') {
        soFar += event.delta;
        onDelta(soFar);
      } else if (event?.type === 'transcript.text.done') {
        return event.text;
      }
    }
  }
  return soFar;
}

/** POSTs the upload with stream=true and follows the deltas; throws StreamingUnsupported when no stream comes back. */
export async function streamTranscription(
  fetchFn: typeof fetch,
  form: FormData,
  apiKey: string,
  onDelta: (textSoFar: string) => void,
  signal?: AbortSignal,
): Promise<string> {
  form.set('stream', 'true');
  const response = await fetchFn('/v1/audio/transcriptions', {
    method: 'POST',
    body: form,
    headers: apiKey ? { Authorization: `Bearer ${apiKey}`, Accept: 'text/event-stream' } : { Accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok || !response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel().catch(() => undefined);
    throw new StreamingUnsupported(response.status);
  }
  return readTranscriptStream(decoded(response.body), onDelta);
}

async function* decoded(body: ReadableStream<Uint8Array>): AsyncIterable<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
}

function parseEvent(data: string): TranscriptStreamEvent | undefined {
  try {
    const parsed = JSON.parse(data) as Partial<TranscriptStreamEvent>;
    if (parsed.type === 'transcript.text.delta' && typeof parsed.delta === 'string') return parsed as TranscriptStreamEvent;
    if (parsed.type === 'transcript.text.done' && typeof parsed.text === 'string') return parsed as TranscriptStreamEvent;
  } catch {
    // not JSON: ignored, like any event this reader does not know
  }
  return undefined;
}
