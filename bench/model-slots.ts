/**
 * What one model's slot buys a request while another model is busy (issue 18: "two requests for two different models
 * run in parallel"):
 *   flock /tmp/bench.lock node scripts/run-ts.mjs bench/model-slots.ts [--runs 3] [--threads 2] [--base-passages 6]
 * The built API with the laptop defaults (one slot per model; WHISPER_THREADS=--threads, split among running requests)
 * serving the real tiny.en (default) and base from `npm run models:real`. Measures tiny.en's latency on the ~29 s
 * passage alone, then while a base request on --base-passages copies of it is inside base's worker (checked on
 * /health/engine before and after each tiny.en request; a run base did not cover is repeated). Also prints how long
 * that base request took: what tiny.en would wait on top of its own time were all models queued on one slot.
 * Prints `uptime` before and after, since the machine may be shared.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { longSpeechFixture, realModel, realModels } from '@speech/test-support';
import { type ApiProcess, startApi } from '../apps/api/test/e2e/support/api-process';
import { transcribeAs } from '../apps/api/test/e2e/support/transcribe-as';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const runs = Number(arg('--runs', '3'));
const threads = arg('--threads', '2');
const basePassages = Number(arg('--base-passages', '6'));
const say = (m: string) => process.stderr.write(`${m}\n`);

async function transcribe(api: ApiProcess, model: string, wav: string): Promise<number> {
  const started = performance.now();
  await transcribeAs(api.url, model, wav);
  return performance.now() - started;
}

async function active(api: ApiProcess, model: string): Promise<number> {
  const health = (await (await fetch(`${api.url}/health/engine`)).json()) as { details?: { engine?: { models?: Record<string, { active: number }> } } };
  return health.details?.engine?.models?.[model]?.active ?? 0;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  say(`uptime before: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  const models = realModels();
  const speech = longSpeechFixture();
  const dir = mkdtempSync(join(tmpdir(), 'model-slots-'));
  const longWav = join(dir, 'passages.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', String(basePassages - 1), '-i', speech.wav, '-c:a', 'pcm_s16le', longWav]);
  const api = await startApi({
    WHISPER_MODEL: realModel(models, 'tiny.en', 'ggml'),
    WHISPER_MODELS: realModel(models, 'base', 'ggml'),
    WHISPER_THREADS: threads,
  });
  try {
    await Promise.all([transcribe(api, 'tiny.en', speech.wav), transcribe(api, 'base', speech.wav)]);

    const alone: number[] = [];
    for (let i = 0; i < runs; i++) alone.push(await transcribe(api, 'tiny.en', speech.wav));

    const during: number[] = [];
    const baseMs: number[] = [];
    while (during.length < runs) {
      let baseDone = false;
      const base = transcribe(api, 'base', longWav).then((ms) => ((baseDone = true), ms));
      while ((await active(api, 'base')) < 1 && !baseDone) await new Promise((resolve) => setTimeout(resolve, 50));
      while (during.length < runs && !baseDone) {
        const ms = await transcribe(api, 'tiny.en', speech.wav);
        // Counted only when base was still inside its worker when tiny.en answered, i.e. it ran the whole time.
        if (!baseDone && (await active(api, 'base')) >= 1) during.push(ms);
      }
      baseMs.push(await base);
    }

    const row = (name: string, values: number[]) => `| ${name} | ${values.length} | ${(median(values) / 1000).toFixed(2)} | ${values.map((v) => (v / 1000).toFixed(2)).join(', ')} |`;
    console.log(`\nmodel slots: tiny.en on the ~${speech.durationSeconds.toFixed(0)} s passage, WHISPER_THREADS=${threads}, one slot per model\n`);
    console.log('| tiny.en request | runs | median s | each s |');
    console.log('| --- | --- | --- | --- |');
    console.log(row('alone', alone));
    console.log(row(`while base runs (${basePassages} passages)`, during));
    console.log(row('the base request itself', baseMs));
    console.log(`\nratio while base runs / alone: ${(median(during) / median(alone)).toFixed(2)}`);
    console.log(`queued behind base on one shared slot, tiny.en would wait up to ${(median(baseMs) / 1000).toFixed(1)} s more`);
  } finally {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
    say(`uptime after: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
