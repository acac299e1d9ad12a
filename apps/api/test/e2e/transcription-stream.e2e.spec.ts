import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realModel, realModels, repeatedSpeech, sileroWeights, workspaceRoot } from '@speech/test-support';
import OpenAI from 'openai';
import { type ApiProcess, startApi } from './support/api-process';
import { filePart, postMultipart } from './support/multipart';

const JFK = join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav');

/** Parses a text/event-stream body into the JSON of its `data:` blocks (what OpenAI's SDK does). */
function sseEvents(body: string): unknown[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
      return JSON.parse(data) as unknown;
    });
}

/** stream=true on both transcription routes, read by the official SDK (unchanged) and by a plain SSE parser. */
describe('streamed transcription responses (stream=true)', () => {
  let api: ApiProcess;
  let client: OpenAI;

  beforeAll(async () => {
    api = await startApi();
    client = new OpenAI({ apiKey: 'not-checked-in-local-mode', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 120_000 });
  }, 120_000);

  afterAll(async () => api?.stop());

  it("the SDK iterates transcript.text.delta events, then one done whose text the deltas add up to and the plain answer matches", async () => {
    const stream = await client.audio.transcriptions.create({ file: createReadStream(JFK), model: 'whisper-1', stream: true, temperature: 0 });
    const events: OpenAI.Audio.TranscriptionStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const done = events.at(-1);
    expect(done?.type).toBe('transcript.text.done');
    const deltas = events.slice(0, -1);
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((event) => event.type === 'transcript.text.delta')).toBe(true);
    const text = (done as OpenAI.Audio.TranscriptionTextDoneEvent).text;
    expect(deltas.map((event) => (event as OpenAI.Audio.TranscriptionTextDeltaEvent).delta).join('')).toBe(text);
    for (const event of events) expect(Object.keys(event).sort()).toEqual(event.type === 'transcript.text.delta' ? ['delta', 'type'] : ['text', 'type']);

    const plain = await client.audio.transcriptions.create({ file: createReadStream(JFK), model: 'whisper-1', temperature: 0 });
    expect(text).toBe(plain.text);
  });

  it('native /transcribe: the same events with stream=true, as text/event-stream, and the whole result on done', async () => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(JFK, 'jfk.wav', 'audio/wav'), { name: 'stream', value: 'true' }]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseEvents(await response.text()) as Array<{ type: string; delta?: string; text?: string; result?: { text: string; segments: unknown[] } }>;
    const done = events.at(-1);
    expect(done?.type).toBe('transcript.text.done');
    expect(events.slice(0, -1).map((event) => event.delta).join('')).toBe(done?.text);
    // The whole result (what response_format=json answers) comes with the last event: no second engine run for segments.
    expect(done?.result?.text).toBe(done?.text);
    expect(done?.result?.segments.length).toBeGreaterThan(0);
  });

  it('refusals stay plain HTTP errors with our stable code (before any event is sent)', async () => {
    const error = await client.audio.transcriptions
      .create({ file: createReadStream(JFK), model: 'whisper-1', stream: true, response_format: 'srt' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_OPTION', param: 'stream' });

    const notAudio = new File([Buffer.from('just some text, not audio')], 'speech.mp3', { type: 'audio/mpeg' });
    const undecodable = await client.audio.transcriptions.create({ file: notAudio, model: 'whisper-1', stream: true }).catch((e: unknown) => e);
    expect(undecodable).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA' });
  });
});

/**
 * With VAD (the default) a stream sends each speech chunk's text as soon as the engine has it, while the rest of the
 * file is transcribed, as OpenAI streams text as it decodes: real tiny.en on ~75 s of speech (JFK six times, 2 s
 * apart), so there are several ≤ 30 s chunks.
 */
describe('streamed transcription responses send text while the file is transcribed (real tiny.en)', () => {
  let api: ApiProcess;
  let dir: string;
  let long: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stream-e2e-'));
    long = repeatedSpeech(JFK, 6, 2, join(dir, 'jfk-six-times.wav'));
    api = await startApi({ WHISPER_MODEL: realModel(realModels(), 'tiny.en', 'ggml'), VAD_MODEL_PATH: sileroWeights(), JOB_WORKERS: '0' });
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the SDK receives the first chunks\' text well before done, and the deltas still add up to the final text', async () => {
    const client = new OpenAI({ apiKey: 'not-checked-in-local-mode', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 300_000 });
    const stream = await client.audio.transcriptions.create({ file: createReadStream(long), model: 'whisper-1', stream: true, temperature: 0, language: 'en' });
    const events: Array<{ event: OpenAI.Audio.TranscriptionStreamEvent; at: number }> = [];
    for await (const event of stream) events.push({ event, at: performance.now() });
    const done = events.at(-1);
    expect(done?.event.type).toBe('transcript.text.done');
    const deltas = events.slice(0, -1);
    expect(deltas.every(({ event }) => event.type === 'transcript.text.delta')).toBe(true);
    // One delta per chunk (at least three chunks of ≤ 30 s), the first a whole engine call or more before done:
    // the engine was still transcribing the rest when it went out. A busier machine only widens the gap.
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(done!.at - deltas[0]!.at).toBeGreaterThan(300);
    const text = (done!.event as OpenAI.Audio.TranscriptionTextDoneEvent).text;
    expect(deltas.map(({ event }) => (event as OpenAI.Audio.TranscriptionTextDeltaEvent).delta).join('')).toBe(text);
    expect(text.toLowerCase().split('ask not what your country can do for you').length - 1).toBeGreaterThanOrEqual(5);
  }, 300_000);
});

