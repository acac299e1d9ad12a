import { createReadStream } from 'node:fs';
import { type AudioFixture, realModel, realModels, speechFixture } from '@speech/test-support';
import OpenAI from 'openai';
import { type ApiProcess, startApi } from './support/api-process';

/**
 * GET /v1/models through the official OpenAI SDK, against the built API serving two real models: tiny.en (the
 * default, English-only) and base (multilingual, the translation model). Every listed model is then used by name.
 */
describe('Models API (/v1/models) with the OpenAI SDK', () => {
  let api: ApiProcess;
  let client: OpenAI;
  let speech: AudioFixture;

  beforeAll(async () => {
    const models = realModels();
    speech = speechFixture('Models are chosen per request.');
    const base = realModel(models, 'base', 'ggml');
    api = await startApi({
      WHISPER_MODEL: realModel(models, 'tiny.en', 'ggml'),
      WHISPER_MODELS: base,
      WHISPER_TRANSLATION_MODEL: base,
      WHISPER_THREADS: '2',
      ENGINE_CONCURRENCY: '2',
    });
    client = new OpenAI({ apiKey: 'not-checked-in-local-mode', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 120_000 });
  }, 300_000);

  afterAll(async () => api?.stop());

  it('client.models.list(): OpenAI\'s list shape, with each model\'s capabilities', async () => {
    const page = await client.models.list();
    const data = page.data as unknown as Array<Record<string, unknown>>;
    expect(data.map((model) => model['id'])).toEqual(['tiny.en', 'base']);
    for (const model of data) {
      expect(model).toMatchObject({ object: 'model', owned_by: 'speech-platform', installed: true, engine: 'local', quantization: 'f16' });
      expect(model['created']).toEqual(expect.any(Number));
      expect(model['size_bytes']).toBeGreaterThan(10_000_000);
    }
    expect(data[0]).toMatchObject({ default: true, english_only: true, translate_capable: false, languages: ['en'] });
    expect(data[1]).toMatchObject({ default: false, english_only: false, translate_capable: true, languages: ['*'] });
  });

  it('client.models.retrieve(): by id, whisper-1 as the default, 404 MODEL_NOT_FOUND otherwise', async () => {
    expect(await client.models.retrieve('base')).toMatchObject({ id: 'base', object: 'model' });
    expect(await client.models.retrieve('whisper-1')).toMatchObject({ id: 'tiny.en', default: true });
    const missing = await client.models.retrieve('large-v9').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' });
  });

  it('a transcription naming each listed model runs on it, two models at once', async () => {
    const ids = (await client.models.list()).data.map((model) => model.id);
    const results = await Promise.all(
      ids.map((model) => client.audio.transcriptions.create({ file: createReadStream(speech.wav), model, response_format: 'json', temperature: 0 })),
    );
    for (const result of results) expect(result.text.toLowerCase()).toContain('model');
    const health = (await (await fetch(`${api.url}/health/engine`)).json()) as Record<string, unknown>;
    const perModel = findModels(health);
    expect(perModel['tiny.en']).toMatchObject({ state: 'ready' });
    expect(perModel['base']).toMatchObject({ state: 'ready' });
    expect(perModel['tiny.en']?.['pid']).not.toBe(perModel['base']?.['pid']);
  });

  it('translations go to the translation model; an English-only or unknown model is a 400 naming the valid ones', async () => {
    const translated = await client.audio.translations.create({ file: createReadStream(speech.wav), model: 'whisper-1' });
    expect(translated.text.toLowerCase()).toContain('model');

    const englishOnly = await client.audio.translations.create({ file: createReadStream(speech.wav), model: 'tiny.en' }).catch((e: unknown) => e);
    expect(englishOnly).toBeInstanceOf(OpenAI.BadRequestError);
    expect(englishOnly).toMatchObject({ code: 'INVALID_OPTION', param: 'model' });
    expect((englishOnly as Error).message).toContain('base');

    // OpenAI's own model names are aliases of the default (clients written for OpenAI work unchanged); other names are refused.
    const unknown = await client.audio.transcriptions.create({ file: createReadStream(speech.wav), model: 'large-v9-imaginary' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
    expect(unknown).toMatchObject({ code: 'INVALID_OPTION', param: 'model' });
    expect((unknown as Error).message).toContain('whisper-1, tiny.en, base');
  });
});

/** The per-model map of the engine's health detail, wherever the health document nests it. */
function findModels(value: unknown): Record<string, Record<string, unknown>> {
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record['models'] && typeof record['models'] === 'object') return record['models'] as Record<string, Record<string, unknown>>;
    for (const child of Object.values(record)) {
      const found = findModels(child);
      if (Object.keys(found).length > 0) return found;
    }
  }
  return {};
}
