import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { DiarizationConfig } from '../config/app-config';
import { SpeakerEmbedder } from './speaker-embedder.port';
import { SpeakerModel } from './speaker-model';

class CountingEmbedder extends SpeakerEmbedder {
  closed = 0;
  embed(): Promise<Float32Array[]> {
    return Promise.resolve([]);
  }
  async close(): Promise<void> {
    this.closed += 1;
  }
}

describe('SpeakerModel', () => {
  let dir: string;
  let config: DiarizationConfig;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'speaker-model-'));
    config = { enabled: true, modelPath: join(dir, 'encoder.onnx'), concurrency: 1, queueSize: 1, threads: 1 };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is 503 MODEL_UNAVAILABLE while the file is missing, and finds it once installed, without a restart', async () => {
    const embedder = new CountingEmbedder();
    const model = new SpeakerModel(config, async () => embedder);
    expect(() => model.assertAvailable()).toThrow(expect.objectContaining({ code: 'MODEL_UNAVAILABLE' }));
    writeFileSync(config.modelPath, 'x');
    await expect(model.embedder()).resolves.toBe(embedder);
  });

  it('opens the encoder once however many requests ask at once, and closes it on shutdown', async () => {
    writeFileSync(config.modelPath, 'x');
    const embedder = new CountingEmbedder();
    let opens = 0;
    const model = new SpeakerModel(config, async (path, threads) => {
      opens += 1;
      expect([path, threads]).toEqual([config.modelPath, 1]);
      return embedder;
    });
    const all = await Promise.all([model.embedder(), model.embedder(), model.embedder()]);
    expect(opens).toBe(1);
    expect(new Set(all).size).toBe(1);
    await model.onModuleDestroy();
    expect(embedder.closed).toBe(1);
  });

  it('a file that fails to load is 503 for that request and is tried again on the next', async () => {
    writeFileSync(config.modelPath, 'x');
    let tries = 0;
    const model = new SpeakerModel(config, async () => {
      tries += 1;
      if (tries === 1) throw new Error('not an onnx file');
      return new CountingEmbedder();
    });
    await expect(model.embedder()).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    await expect(model.embedder()).resolves.toBeInstanceOf(CountingEmbedder);
  });

  it('turned off by config: 400 INVALID_OPTION on diarize', () => {
    const model = new SpeakerModel({ ...config, enabled: false }, () => Promise.reject(new Error('unused')));
    expect(() => model.assertAvailable()).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: { param: 'diarize' } }));
  });
});
