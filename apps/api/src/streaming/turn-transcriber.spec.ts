import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptionResult } from '@speech/contracts';
import type { AppConfig } from '../config/app-config';
import { EngineDispatcher } from '../pipeline/engine-dispatcher';
import type { DecodedCall, TranscriptionPipeline } from '../pipeline/transcription-pipeline';
import { PipelineTurnTranscriber } from './turn-transcriber';

/** Stands in for the pipeline: reads the turn file it is given, answers when released, honours the abort signal. */
class HeldPipeline {
  readonly calls: Array<{ samples: Float32Array; options: DecodedCall['options']; release: (text: string) => void; signal: AbortSignal }> = [];
  constructor(private readonly dispatcher: EngineDispatcher) {}
  async transcribeDecoded({ audio, options, signal }: DecodedCall): Promise<TranscriptionResult> {
    const bytes = await readFile(audio.path);
    const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    return this.dispatcher.run(
      () =>
        new Promise<TranscriptionResult>((resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          this.calls.push({ samples, options, signal, release: (text) => resolve({ text, language: 'en', duration: audio.durationSeconds, segments: [] }) });
        }),
      signal,
    );
  }
}

describe('PipelineTurnTranscriber', () => {
  let tmpDir: string;
  beforeEach(() => (tmpDir = mkdtempSync(join(tmpdir(), 'turns-'))));
  afterEach(() => rmSync(tmpDir, { recursive: true, force: true }));

  const setup = () => {
    const dispatcher = new EngineDispatcher(1, 4);
    const pipeline = new HeldPipeline(dispatcher);
    const config = { upload: { tmpDir }, realtime: { fitFinalMaxSeconds: 0, fitFinalMinSeconds: 0, fitPartials: false, shortFinalWindowSeconds: 30 } } as unknown as AppConfig;
    return { pipeline, dispatcher, transcriber: new PipelineTurnTranscriber(pipeline as unknown as TranscriptionPipeline, dispatcher, config) };
  };
  const flush = () => new Promise((resolve) => setTimeout(resolve, 20));
  /** Until the pipeline has been called `count` times (the turn file is written and read first). */
  const calls = async (pipeline: HeldPipeline, count: number) => {
    while (pipeline.calls.length < count) await flush();
    return pipeline.calls;
  };

  it('decodes open turns again and again with the local engine only, unless REALTIME_PARTIALS says otherwise', () => {
    const { pipeline, dispatcher } = setup();
    const incremental = (kind: string, partials: string) =>
      new PipelineTurnTranscriber(pipeline as unknown as TranscriptionPipeline, dispatcher, { upload: { tmpDir }, engine: { kind }, realtime: { partials } } as unknown as AppConfig).incremental;
    expect([incremental('local', 'auto'), incremental('http', 'auto'), incremental('sagemaker', 'auto')]).toEqual([true, false, false]);
    expect([incremental('http', 'on'), incremental('sagemaker', 'on'), incremental('local', 'off')]).toEqual([true, true, false]);
  });

  it('hands the turn to the pipeline as a 16 kHz f32 file with its language and prompt, and returns the text', async () => {
    const { pipeline, transcriber } = setup();
    const samples = Float32Array.from([0.25, -0.5, 1]);
    const text = transcriber.transcribe({ samples, kind: 'final', language: 'en', prompt: 'Ada', signal: new AbortController().signal });
    await calls(pipeline, 1);
    expect(Array.from(pipeline.calls[0]!.samples)).toEqual([0.25, -0.5, 1]);
    expect(pipeline.calls[0]!.options).toMatchObject({ task: 'transcribe', language: 'en', prompt: 'Ada', temperature: 0, responseFormat: 'json' });
    pipeline.calls[0]!.release(' Hello.');
    await expect(text).resolves.toBe(' Hello.');
  });

  it("a short turn's final gets the short-turn window floor alone, and only its own length while other finals wait", async () => {
    const { pipeline, dispatcher } = setup();
    const config = { upload: { tmpDir }, realtime: { fitFinalMaxSeconds: 30, fitFinalMinSeconds: 2, fitPartials: true, shortFinalWindowSeconds: 25.6 } } as unknown as AppConfig;
    const transcriber = new PipelineTurnTranscriber(pipeline as unknown as TranscriptionPipeline, dispatcher, config);
    const signal = new AbortController().signal;
    const oneSecond = new Float32Array(16_000);
    const first = transcriber.transcribe({ samples: oneSecond, kind: 'final', signal });
    await calls(pipeline, 1);
    expect(pipeline.calls[0]!.options).toMatchObject({ fitEncoderToAudio: true, fitEncoderMinSeconds: 25.6 });
    // Another session's short turn ends while that final runs: its window is its own length (+1 s), no floor.
    const second = transcriber.transcribe({ samples: oneSecond, kind: 'final', signal });
    await flush();
    pipeline.calls[0]!.release(' One.');
    await calls(pipeline, 2);
    expect(pipeline.calls[1]!.options).toMatchObject({ fitEncoderToAudio: true });
    expect(pipeline.calls[1]!.options.fitEncoderMinSeconds).toBeUndefined();
    pipeline.calls[1]!.release(' Two.');
    await expect(Promise.all([first, second])).resolves.toEqual([' One.', ' Two.']);
  });

  it('drops partials while the engine is busy or any final is under way', async () => {
    const { pipeline, transcriber } = setup();
    const signal = new AbortController().signal;
    const partial = transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal });
    (await calls(pipeline, 1))[0]!.release('partial text');
    await expect(partial).resolves.toBe('partial text');

    const running = transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal });
    await calls(pipeline, 2);
    // The engine's one slot is taken: another partial is dropped at once.
    await expect(transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal })).resolves.toBeNull();
    pipeline.calls[1]!.release('running partial');
    await expect(running).resolves.toBe('running partial');

    const final = transcriber.transcribe({ samples: new Float32Array(16), kind: 'final', signal });
    const [, , finalCall] = await calls(pipeline, 3);
    // A final is running: partials wait their turn.
    await expect(transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal })).resolves.toBeNull();
    finalCall!.release('final text');
    await expect(final).resolves.toBe('final text');
    const after = transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal });
    (await calls(pipeline, 4))[3]!.release('next');
    await expect(after).resolves.toBe('next');
  });

  it("a final cancels another session's running partial and takes the engine at once", async () => {
    const { pipeline, transcriber } = setup();
    const partial = transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal: new AbortController().signal });
    const [partialCall] = await calls(pipeline, 1);
    const final = transcriber.transcribe({ samples: new Float32Array(32), kind: 'final', signal: new AbortController().signal });
    // The partial is dropped (null, as if it never ran) without being released...
    await expect(partial).resolves.toBeNull();
    expect(partialCall!.signal.aborted).toBe(true);
    // ...and the final runs next, not after the partial's decode.
    const [, finalCall] = await calls(pipeline, 2);
    expect(finalCall!.samples).toHaveLength(32);
    finalCall!.release('final text');
    await expect(final).resolves.toBe('final text');
  });

  it('a partial kept for finals (a turn still without text) runs to its end; the final waits for it', async () => {
    const { pipeline, transcriber } = setup();
    const partial = transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', keepForFinals: true, signal: new AbortController().signal });
    const [partialCall] = await calls(pipeline, 1);
    const final = transcriber.transcribe({ samples: new Float32Array(32), kind: 'final', signal: new AbortController().signal });
    await flush();
    expect(partialCall!.signal.aborted).toBe(false);
    expect(pipeline.calls).toHaveLength(1);
    partialCall!.release('first words');
    await expect(partial).resolves.toBe('first words');
    (await calls(pipeline, 2))[1]!.release('final');
    await expect(final).resolves.toBe('final');
  });

  it('a final drops a partial waiting in the dispatcher queue, so the queue holds the final only', async () => {
    const { pipeline, transcriber, dispatcher } = setup();
    const partial = transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal: new AbortController().signal });
    // While the partial writes its turn file, a sync request takes the engine's one slot: the partial queues.
    let releaseSync!: () => void;
    const sync = dispatcher.run(() => new Promise<void>((resolve) => (releaseSync = resolve)), new AbortController().signal);
    while (dispatcher.queuedCount < 1) await flush();
    const final = transcriber.transcribe({ samples: new Float32Array(32), kind: 'final', signal: new AbortController().signal });
    await expect(partial).resolves.toBeNull();
    await flush();
    expect(dispatcher.queuedCount).toBe(1);
    releaseSync();
    await sync;
    const [finalCall] = await calls(pipeline, 1);
    expect(finalCall!.samples).toHaveLength(32);
    finalCall!.release('final');
    await expect(final).resolves.toBe('final');
    expect(pipeline.calls).toHaveLength(1);
  });

  it('a final drops a partial still writing its turn file before it reaches the engine', async () => {
    const { pipeline, transcriber } = setup();
    const partial = transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal: new AbortController().signal });
    const final = transcriber.transcribe({ samples: new Float32Array(32), kind: 'final', signal: new AbortController().signal });
    await expect(partial).resolves.toBeNull();
    (await calls(pipeline, 1))[0]!.release('final');
    await expect(final).resolves.toBe('final');
    expect(pipeline.calls.map((call) => call.samples.length)).toEqual([32]);
  });

  it('keeps at most `concurrency` partials under way, even before they reach the dispatcher', async () => {
    const { pipeline, transcriber, dispatcher } = setup();
    const signal = new AbortController().signal;
    // Both calls start before either has written its file, so the dispatcher alone would see neither.
    const [a, b] = [transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal }), transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal })];
    await expect(b).resolves.toBeNull();
    (await calls(pipeline, 1))[0]!.release('a');
    await expect(a).resolves.toBe('a');
    expect(dispatcher.queuedCount).toBe(0);
    expect(pipeline.calls).toHaveLength(1);
  });

  it("a session's own abort rejects the decode", async () => {
    const { pipeline: held, transcriber } = setup();
    const session = new AbortController();
    const partial = transcriber.transcribe({ samples: new Float32Array(16), kind: 'partial', signal: session.signal });
    await calls(held, 1);
    session.abort(new Error('session closed'));
    await expect(partial).rejects.toThrow('session closed');
  });
});
