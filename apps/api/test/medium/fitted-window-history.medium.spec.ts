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

  it('gives the same segments, to the last digit, after full, wider and narrower windows on other audio', async () => {
    const turnSeconds = statSync(turn).size / 4 / 16_000;
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
      const window = fittedAudioCtx(turnSeconds);
      const runs: Segment[][] = [];
      // Before each decode of the turn, the worker decodes other audio with another window: full, wider, narrower.
      for (const before of [0, 1024, 384, 448]) {
        await decode(other, before);
        runs.push(await decode(turn, window));
      }
      expect(runs[0]!.map((s) => s.text).join('')).toMatch(/lazy dog/i);
      for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
    } finally {
      child.stdin.end();
    }
  });
});
