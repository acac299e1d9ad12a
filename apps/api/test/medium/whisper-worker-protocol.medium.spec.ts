import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { cachedWhisperModel, longSpeechFixture, SHORT_SENTENCE, speechFixture } from '@speech/test-support';

import type { EngineLogger } from '../../src/engines/local/engine-logger';
import { ensureNativeBuild } from '../../src/engines/local/native-build';

/** The compiled whisper-worker spoken to directly, line by line: the protocol in its README. */
jest.setTimeout(60_000);

type Line = Record<string, unknown>;

class WorkerSession {
  readonly lines: Line[] = [];
  readonly raw: string[] = [];
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(binary: string, args: string[]) {
    this.child = spawn(binary, args);
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Line); // throws (fails the test) on anything but JSON
      this.waiters.splice(0).forEach((w) => w());
    });
    this.child.stderr.resume();
  }

  send(op: unknown): void {
    this.child.stdin.write(`${typeof op === 'string' ? op : JSON.stringify(op)}\n`);
  }

  end(): void {
    this.child.stdin.end();
  }

  /** The first line (already received or still to come) that matches. */
  async next(match: (line: Line) => boolean): Promise<Line> {
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const quiet: EngineLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('whisper-worker protocol (native binary)', () => {
  let worker: string;
  let model: string;
  let dir: string;
  let shortPcm: string;
  let longPcm: string;

  beforeAll(async () => {
    worker = (await ensureNativeBuild('native', quiet)).binaries['whisper-worker'];
    model = await cachedWhisperModel('tiny-test');
    shortPcm = speechFixture(SHORT_SENTENCE).pcm;
    dir = mkdtempSync(path.join(tmpdir(), 'worker-protocol-'));
    longPcm = path.join(dir, 'long.f32');
    writeFileSync(longPcm, Buffer.concat(Array.from({ length: 5 }, () => readFileSync(longSpeechFixture().pcm))));
  }, 15 * 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const transcribe = (id: string, pcm: string) => ({
    op: 'transcribe', id, pcm, language: 'en', translate: false, prompt: '', temperature: 0, temperature_inc: 0,
    beam_size: 0, word_timestamps: true, threads: 2,
  });

  it('announces itself, transcribes, benchmarks, rejects bad lines and exits 0 on shutdown', async () => {
    const s = new WorkerSession(worker, ['--model', model, '--threads', '2', '--parallel', '1']);
    const ready = await s.next((l) => l['event'] === 'ready');
    expect(ready).toMatchObject({ model, multilingual: true, n_mels: 80, threads: 2, parallel: 1 });
    expect(ready['system_info']).toEqual(expect.stringContaining('CPU :'));

    s.send('this is not json');
    expect(await s.next((l) => l['event'] === 'error' && l['id'] === null)).toMatchObject({ code: 'INVALID_OPTION' });
    s.send({ op: 'frobnicate', id: 'f' });
    expect(await s.next((l) => l['id'] === 'f')).toMatchObject({ event: 'error', code: 'INVALID_OPTION' });
    s.send({ op: 'transcribe', id: 'nopcm' });
    expect(await s.next((l) => l['id'] === 'nopcm')).toMatchObject({ event: 'error', code: 'INVALID_OPTION' });
    s.send({ ...transcribe('neg', shortPcm), temperature: -1 });
    expect(await s.next((l) => l['id'] === 'neg')).toMatchObject({ event: 'error', code: 'INVALID_OPTION' });
    s.send(transcribe('gone', path.join(dir, 'missing.f32')));
    expect(await s.next((l) => l['id'] === 'gone')).toMatchObject({ event: 'error', code: 'UNDECODABLE_AUDIO' });

    s.send(transcribe('t1', shortPcm));
    const result = await s.next((l) => l['id'] === 't1' && l['event'] !== 'progress');
    expect(result).toMatchObject({ event: 'result', language: 'en', timings: { total_ms: expect.any(Number) } });
    const segments = result['segments'] as Array<{ t0_ms: number; t1_ms: number; tokens: Array<{ text: string; p: number }> }>;
    expect(segments.length).toBeGreaterThan(0);
    for (const seg of segments) {
      expect(seg.t1_ms).toBeGreaterThanOrEqual(seg.t0_ms);
      for (const token of seg.tokens) {
        expect(token.text).not.toMatch(/^\[_|<\|/); // special tokens are filtered out
        expect(token.p).toBeGreaterThan(0);
      }
    }
    expect(s.lines.some((l) => l['event'] === 'progress' && l['id'] === 't1')).toBe(true);

    // A token budget per window: a decode that writes more stops and says so, with no segments (this clip's one
    // segment is a timestamp, text and a timestamp: more than 2); a budget whisper never reaches changes nothing.
    s.send({ ...transcribe('budget-bad', shortPcm), max_window_tokens: 449 });
    expect(await s.next((l) => l['id'] === 'budget-bad')).toMatchObject({ event: 'error', code: 'INVALID_OPTION' });
    s.send({ ...transcribe('budget', shortPcm), max_window_tokens: 2, audio_ctx: 512 });
    const stopped = await s.next((l) => l['id'] === 'budget' && l['event'] !== 'progress');
    expect(stopped).toMatchObject({ event: 'result', language: 'en', segments: [], token_budget_exceeded: true, timings: { audio_ctx: 512 } });
    s.send({ ...transcribe('roomy', shortPcm), max_window_tokens: 448 });
    const roomy = await s.next((l) => l['id'] === 'roomy' && l['event'] !== 'progress');
    expect(roomy['token_budget_exceeded']).toBeUndefined();
    // (Text and times: the random-weight model's no_speech_prob drifts a little from call to call.)
    const textAndTimes = (line: Line) => (line['segments'] as typeof segments).map(({ t0_ms, t1_ms, tokens }) => ({ t0_ms, t1_ms, tokens: tokens.map((t) => t.text) }));
    expect(textAndTimes(roomy)).toEqual(textAndTimes(result));

    s.send({ op: 'bench_encode', id: 'b', threads: 2 });
    const bench = await s.next((l) => l['id'] === 'b');
    expect(bench).toMatchObject({ event: 'bench', threads: 2 });
    expect(bench['encode_ms']).toBeGreaterThan(0);

    s.send({ op: 'shutdown' });
    expect(await s.exited).toBe(0);
  });

  it('refuses a job beyond --parallel with ENGINE_BUSY, cancels on request and on EOF', async () => {
    const s = new WorkerSession(worker, ['--model', model, '--threads', '1', '--parallel', '1']);
    await s.next((l) => l['event'] === 'ready');
    s.send(transcribe('a', longPcm));
    await s.next((l) => l['id'] === 'a' && l['event'] === 'progress');
    s.send(transcribe('b', shortPcm));
    expect(await s.next((l) => l['id'] === 'b')).toMatchObject({ event: 'error', code: 'ENGINE_BUSY' });
    s.send({ op: 'cancel', id: 'a' });
    const cancelledAt = Date.now();
    expect(await s.next((l) => l['id'] === 'a' && l['event'] === 'error')).toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - cancelledAt).toBeLessThan(1000);

    // EOF with a job running: the job is cancelled and the worker exits cleanly.
    s.send(transcribe('c', longPcm));
    await s.next((l) => l['id'] === 'c' && l['event'] === 'progress');
    s.end();
    expect(await s.exited).toBe(0);
    expect(s.lines.find((l) => l['id'] === 'c' && l['event'] === 'error')).toMatchObject({ code: 'CANCELLED' });
  });

  it('answers a cancel that arrives while the encoder runs within a fraction of an encode (abort between graph nodes)', async () => {
    // whisper.cpp checks the abort callback after each encode only, unless patched (apps/api/native/whisper-patches
    // 0002): a cancel at the start of an encode then waited for all of it (97-205 ms for a 20 s window, measured).
    const s = new WorkerSession(worker, ['--model', model, '--threads', '2', '--parallel', '1']);
    await s.next((l) => l['event'] === 'ready');
    s.send({ op: 'bench_encode', id: 'warm', threads: 2 });
    await s.next((l) => l['id'] === 'warm');
    s.send({ op: 'bench_encode', id: 'timed', threads: 2 });
    const encodeMs = (await s.next((l) => l['id'] === 'timed'))['encode_ms'] as number;
    const latencies: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = `enc${i}`;
      s.send(transcribe(id, longPcm));
      // whisper_full reports progress at the start of each window, just before that window's encode.
      await s.next((l) => l['id'] === id && l['event'] === 'progress');
      const cancelledAt = performance.now();
      s.send({ op: 'cancel', id });
      expect(await s.next((l) => l['id'] === id && l['event'] === 'error')).toMatchObject({ code: 'CANCELLED' });
      latencies.push(performance.now() - cancelledAt);
    }
    s.send({ op: 'shutdown' });
    expect(await s.exited).toBe(0);
    expect(Math.min(...latencies)).toBeLessThan(encodeMs / 2);
  });

  it('reports a model it cannot load as fatal MODEL_UNAVAILABLE and exits 2', async () => {
    const s = new WorkerSession(worker, ['--model', path.join(dir, 'no-such-model.bin')]);
    expect(await s.next((l) => l['event'] === 'fatal')).toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    expect(await s.exited).toBe(2);
    expect(s.raw).toHaveLength(1); // nothing but the protocol line on stdout
  });
});
