import { readTranscriptStream, StreamingUnsupported, streamTranscription } from './transcript-stream';

async function* chunks(...parts: string[]): AsyncIterable<string> {
  for (const part of parts) yield part;
}

describe('readTranscriptStream', () => {
  it('reports growing text for each delta (even split mid-event) and resolves with the done text', async () => {
    const seen: string[] = [];
    const text = await readTranscriptStream(
      chunks(
        'data: {"type":"transcript.text.delta","delta":"And so"}\n\n',
        'data: {"type":"transcript.text.del',
        'ta","delta":", my fellow"}\r\n\r\n: keep-alive\n\n',
        'data: {"type":"transcript.text.done","text":"And so, my fellow Americans."}\n\n',
      ),
      (soFar) => seen.push(soFar),
    );
    expect(seen).toEqual(['And so', 'And so, my fellow']);
    expect(text).toBe('And so, my fellow Americans.');
  });

  it('falls back to the joined deltas when the stream ends without done', async () => {
    expect(await readTranscriptStream(chunks('data: {"type":"transcript.text.delta","delta":"Hi"}\n\n', 'data: [DONE]\n\n'), () => undefined)).toBe('Hi');
  });
});

describe('streamTranscription', () => {
  it('asks for a stream with the key and throws StreamingUnsupported when the server answers without one', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fakeFetch = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return { ok: false, status: 400, body: null, headers: { get: () => 'application/json' } } as unknown as Response;
    }) as typeof fetch;
    const form = new FormData();
    await expect(streamTranscription(fakeFetch, form, 'sk-1', () => undefined)).rejects.toEqual(new StreamingUnsupported(400));
    expect(calls[0][0]).toBe('/v1/audio/transcriptions');
    expect((calls[0][1]?.headers as Record<string, string>)['Authorization']).toBe('Bearer sk-1');
    expect(form.get('stream')).toBe('true');
  });
});
