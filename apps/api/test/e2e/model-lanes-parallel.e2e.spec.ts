import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AudioFixture, longSpeechFixture, realModel, realModels } from '@speech/test-support';
import { type ApiProcess, startApi } from './support/api-process';
import { transcribeAs } from './support/transcribe-as';

/** Requests in flight on each model's worker at one instant, as GET /health/engine reported it. */
type ActiveSample = Record<string, number>;

/**
 * "Two requests for two different models run in parallel", on the built API with real weights (tiny.en the default,
 * base a second model) and the laptop defaults: no ENGINE_CONCURRENCY / ENGINE_MODEL_CONCURRENCY (one slot per model)
 * and two whisper threads, as on a 2-core machine, which the engine splits one per running request.
 *
 * The evidence is the server's own, not wall-clock ratios: GET /health/engine is sampled for each model worker's
 * `active` count (requests inside that worker now). A long base request is sent, and once base's worker has it, a
 * short tiny.en request; overlap is a sample with both models at 1. A loaded machine makes base's call longer still,
 * so it cannot hide the overlap; were tiny.en queued behind base (one slot for all models), the sample would never come.
 */
describe('Two requests for two different models run in parallel (built API, tiny.en + base, laptop defaults)', () => {
  let api: ApiProcess;
  let speech: AudioFixture;
  let dir: string;
  /** The ~29 s passage four times over. */
  let longWav: string;

  beforeAll(async () => {
    const models = realModels();
    speech = longSpeechFixture();
    dir = mkdtempSync(join(tmpdir(), 'model-lanes-'));
    longWav = join(dir, 'four-passages.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '3', '-i', speech.wav, '-c:a', 'pcm_s16le', longWav]);
    api = await startApi({
      WHISPER_MODEL: realModel(models, 'tiny.en', 'ggml'),
      WHISPER_MODELS: realModel(models, 'base', 'ggml'),
      // A 2-core laptop's default (the cores this process may use), pinned so the test means the same on any machine.
      WHISPER_THREADS: '2',
    });
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const transcribe = (model: string, wav: string) => transcribeAs(api.url, model, wav);


  async function activeNow(): Promise<ActiveSample> {
    const health = (await (await fetch(`${api.url}/health/engine`)).json()) as { details?: { engine?: { models?: Record<string, { active: number }> } } };
    const models = health.details?.engine?.models ?? {};
    return Object.fromEntries(Object.entries(models).map(([id, model]) => [id, model.active]));
  }

  /** Samples /health/engine until `until` holds for a sample (returned) or `pending` settles first (null). */
  async function sampleUntil(until: (sample: ActiveSample) => boolean, pending: Promise<unknown>, samples: ActiveSample[]): Promise<ActiveSample | null> {
    let settled = false;
    void pending.then(() => (settled = true), () => (settled = true));
    while (!settled) {
      const sample = await activeNow();
      samples.push(sample);
      if (until(sample)) return sample;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return null;
  }

  it('the defaults give each model one slot of its own and split the two threads between them', async () => {
    const health = (await (await fetch(`${api.url}/health/engine`)).json()) as { details: { engine: Record<string, unknown> } };
    expect(health.details.engine).toMatchObject({ threads: 2, threadsPerJob: 2, concurrency: 1 });
  });

  it('a tiny.en request runs inside its worker while a base request is inside its own, and both transcribe', async () => {
    // Both workers loaded first, so the overlap measured is of transcriptions, not of one model's load.
    await Promise.all([transcribe('tiny.en', speech.wav), transcribe('base', speech.wav)]);

    const samples: ActiveSample[] = [];
    // base on ~2 minutes of speech: its engine call outlasts everything tiny.en's request does before and in its own.
    const base = transcribe('base', longWav);
    expect(await sampleUntil((sample) => (sample['base'] ?? 0) >= 1, base, samples)).not.toBeNull();
    const tiny = transcribe('tiny.en', speech.wav);
    const both = await sampleUntil((sample) => (sample['tiny.en'] ?? 0) >= 1 && (sample['base'] ?? 0) >= 1, Promise.all([tiny, base]), samples);
    const texts = await Promise.all([tiny, base]);
    console.log(`tiny.en + base: both models transcribing at sample ${samples.length}: ${JSON.stringify(both)}`);
    expect(both).toEqual({ 'tiny.en': 1, base: 1 });
    for (const text of texts) expect(text.toLowerCase()).toContain('plants');
    // One slot per model: no sample ever saw two requests inside one worker.
    expect(Math.max(...samples.flatMap((sample) => Object.values(sample)))).toBe(1);
  }, 600_000);
});
