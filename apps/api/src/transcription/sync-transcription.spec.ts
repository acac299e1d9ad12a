import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import express from 'express';
import { DomainError } from '../common/domain-error';
import type { SyncRequestSlots } from '../fair-share/sync-request-slots';
import type { ShutdownState } from '../lifecycle/shutdown-state';
import type { TranscribeOptions } from '../pipeline/transcribe-options';
import type { TranscribeCall, TranscriptionPipeline } from '../pipeline/transcription-pipeline';
import type { RequestWithUpload } from '../upload/audio-upload.interceptor';
import { SyncTranscription } from './sync-transcription';

beforeAll(() => Logger.overrideLogger(false));

const RESULT: TranscriptionResult = { text: 'And so my fellow Americans, ask not.', language: 'en', duration: 11, segments: [] };

/**
 * stream=true over real HTTP (express, as Nest serves it) with a scripted pipeline: text goes out as the pipeline hands
 * it over, and a failure after that ends the stream with an error event instead of an HTTP status.
 */
describe('SyncTranscription.stream', () => {
  let server: Server;
  let url: string;
  let script: (call: TranscribeCall) => Promise<TranscriptionResult>;

  beforeAll(async () => {
    const pipeline = { transcribe: (call: TranscribeCall) => script(call) } as unknown as TranscriptionPipeline;
    const shutdown = { graceExpired: new AbortController().signal } as unknown as ShutdownState;
    const slots = { take: () => undefined } as unknown as SyncRequestSlots;
    const sync = new SyncTranscription(pipeline, shutdown, slots);
    const app = express();
    app.post('/:flavour', (request, response, next) => {
      const upload = { path: '/nonexistent/upload', format: 'wav', workspace: { file: (name: string) => `/nonexistent/${name}` } };
      Object.assign(request, { upload, principal: { ownerId: 'test' } });
      sync.stream(request as unknown as RequestWithUpload, response, {} as TranscribeOptions, request.params['flavour'] as 'native' | 'openai').catch(next);
    });
    app.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
      response.status(error instanceof DomainError ? error.status : 500).json({ code: error instanceof DomainError ? error.code : 'INTERNAL_ERROR' });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const events = async (response: Response) =>
    (await response.text())
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => JSON.parse(block.slice(6)) as Record<string, unknown>);

  it('sends each piece of text when the pipeline hands it over, then what the final text adds, then done', async () => {
    let firstPieceOut: () => void = () => undefined;
    const sentBeforeTheRest = new Promise<void>((resolve) => (firstPieceOut = resolve));
    script = async ({ onText }) => {
      onText?.(' And so my fellow Americans,', []);
      await sentBeforeTheRest; // the rest waits until the client has read the first delta
      return RESULT;
    };
    const response = await fetch(`${url}/openai`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let first = '';
    while (!first.endsWith('\n\n')) first += new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('data: {"type":"transcript.text.delta","delta":"And so my fellow Americans,"}\n\n');
    firstPieceOut();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('data: {"type":"transcript.text.delta","delta":" ask not."}\n\ndata: {"type":"transcript.text.done","text":"And so my fellow Americans, ask not."}\n\n');
  });

  it('a failure after text went out is the last event, with our code; before any text it is a plain HTTP error', async () => {
    script = async ({ onText }) => {
      onText?.(' And so', []);
      throw new DomainError('ENGINE_FAILED', 'The engine crashed.');
    };
    const openai = await events(await fetch(`${url}/openai`, { method: 'POST' }));
    expect(openai).toEqual([
      { type: 'transcript.text.delta', delta: 'And so' },
      { type: 'error', error: { message: 'The engine crashed.', type: 'server_error', param: null, code: 'ENGINE_FAILED' } },
    ]);
    const native = await events(await fetch(`${url}/native`, { method: 'POST' }));
    expect(native[1]).toMatchObject({ type: 'error', error: { code: 'ENGINE_FAILED', status: 502, detail: 'The engine crashed.' } });

    script = async () => {
      throw new DomainError('ENGINE_FAILED', 'The engine crashed.');
    };
    const plain = await fetch(`${url}/openai`, { method: 'POST' });
    expect(plain.status).toBe(502);
    expect(await plain.json()).toEqual({ code: 'ENGINE_FAILED' });
  });

  it('without early text (VAD off, no speech) the whole answer comes at once, a delta per segment', async () => {
    script = async () => ({ ...RESULT, text: 'Hello there.', segments: [{ id: 0, start: 0, end: 1, text: ' Hello' }, { id: 1, start: 1, end: 2, text: ' there.' }] as TranscriptionResult['segments'] });
    expect(await events(await fetch(`${url}/openai`, { method: 'POST' }))).toEqual([
      { type: 'transcript.text.delta', delta: 'Hello' },
      { type: 'transcript.text.delta', delta: ' there.' },
      { type: 'transcript.text.done', text: 'Hello there.' },
    ]);
  });
});
