import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { realModel, realModels, SHORT_SENTENCE, speechFixture } from '@speech/test-support';

import type { EngineLogger } from '../../src/engines/local/engine-logger';
import { fittedAudioCtx } from '../../src/engines/local/fitted-audio-ctx';
import { ensureNativeBuild } from '../../src/engines/local/native-build';

jest.setTimeout(120_000);

const quiet: EngineLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
type Segment = { text: string; no_speech_prob: number; avg_logprob: number };

/**
 * A realtime turn decoded on a fitted encoder window must not depend on what the worker decoded before it (another
 * session's turn). whisper.cpp pads the cross-attention context to 256 frames and the padding still holds an earlier
 * call's encoder output; with 384 or 448 frames the same turn came out with other probabilities after other decodes,
 * and under 4 sessions a short turn's final came back empty. Real tiny.en, the worker binary, greedy.
 */
describe('fitted encoder windows: a decode does not depend on the decodes before it (real tiny.en)', () => {
  let worker: string;
  let model: string;
  let turn: string;
  let other: string;
  beforeAll(async () => {
    // No skip: without the real weights this must fail, loudly.
    worker = (await ensureNativeBuild('native', quiet)).binaries['whisper-worker'];
    model = realModel(realModels(), 'tiny.en', 'ggml');
    turn = speechFixture(SHORT_SENTENCE).pcm;
    other = speechFixture('Please enter your password, followed by the pound key. Thank you.').pcm;
  }, 15 * 60_000);

  /** One worker process; `decode` sends a greedy transcribe op with an encoder window (0: the full 30 s). */
  async function withWorker(use: (decode: (pcm: string, audioCtx: number) => Promise<Segment[]>) => Promise<void>): Promise<void> {
    const child = spawn(worker, ['--model', model, '--threads', '2', '--parallel', '1'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const answers = new Map<string, (line: Record<string, unknown>) => void>();
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    createInterface({ input: child.stdout }).on('line', (raw) => {
      const line = JSON.parse(raw) as Record<string, unknown>;
      if (line['event'] === 'ready') ready();
      if (line['event'] === 'result' || line['event'] === 'error') answers.get(String(line['id']))?.(line);
    });
    let next = 0;
    const decode = async (pcm: string, audioCtx: number): Promise<Segment[]> => {
      const id = `h${next++}`;
      const line = await new Promise<Record<string, unknown>>((resolve) => {
        answers.set(id, resolve);
        const op = { op: 'transcribe', id, pcm, language: 'en', translate: false, prompt: '', temperature: 0, temperature_inc: 0, beam_size: 0, word_timestamps: false, threads: 2 };
        child.stdin.write(`${JSON.stringify(audioCtx > 0 ? { ...op, audio_ctx: audioCtx } : op)}\n`);
      });
      expect(line['event']).toBe('result');
      return (line['segments'] as Segment[]).map(({ text, no_speech_prob, avg_logprob }) => ({ text, no_speech_prob, avg_logprob }));
    };
    try {
      await started;
      await use(decode);
    } finally {
      child.stdin.end();
    }
  }

  // Before each decode of the turn, the worker decodes other audio with another window: full, wider, narrower,
  // and sizes that are not multiples of 256 (whose padding rows the next window of another size reads).
  const WINDOWS_BEFORE = [0, 1024, 384, 448, 1280, 640];

  it('gives the same segments, to the last digit, after full, wider and narrower windows on other audio', async () => {
    const window = fittedAudioCtx(statSync(turn).size / 4 / 16_000);
    await withWorker(async (decode) => {
      const runs: Segment[][] = [];
      for (const before of WINDOWS_BEFORE) {
        await decode(other, before);
        runs.push(await decode(turn, window));
      }
      expect(runs[0]!.map((s) => s.text).join('')).toMatch(/lazy dog/i);
      for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
    });
  });

  // The full window (1500 frames) is padded to 1536 as well: a fitted window before it left its own rows in those
  // 36, and without whisper.cpp's pad mask (apps/api/native/whisper-patches) the full-window text drifted with history.
  it.each([0, 384, 448])('a window of %i frames (0: full) decodes the same after any other window', async (turnWindow) => {
    await withWorker(async (decode) => {
      const fresh = await decode(turn, turnWindow);
      for (const before of WINDOWS_BEFORE) {
        await decode(other, before);
        expect(await decode(turn, turnWindow)).toEqual(fresh);
      }
      expect(fresh.map((s) => s.text).join('')).toMatch(/lazy dog/i);
    });
  });
});
