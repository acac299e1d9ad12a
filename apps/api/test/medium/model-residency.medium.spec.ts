import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TranscriptionOptions } from '@speech/contracts';
import { realModel, realModels, speechFixture, type AudioFixture } from '@speech/test-support';

import type { EngineLogger } from '../../src/engines/local/engine-logger';
import { LocalWhisperEngine } from '../../src/engines/local/local-whisper.engine';
import { ensureNativeBuild } from '../../src/engines/local/native-build';

/**
 * Several models in the local engine on real parts: the compiled whisper-worker with real tiny.en and base weights.
 * Each model has its own process, so two models transcribe at once, and unloading an idle one returns its memory.
 */
jest.setTimeout(180_000);

const quiet: EngineLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const options: TranscriptionOptions = { task: 'transcribe', language: 'en', temperature: 0, wordTimestamps: false };

/** Resident memory of a process in MiB from /proc (0 when it is gone). */
function rssMiB(pid: number | null | undefined): number {
  const file = `/proc/${pid}/status`;
  if (!pid || !existsSync(file)) return 0;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

describe('LocalWhisperEngine with several real models', () => {
  let dir: string;
  let engine: LocalWhisperEngine;
  let speech: AudioFixture;

  beforeAll(async () => {
    const models = realModels();
    const build = await ensureNativeBuild('native', quiet);
    speech = speechFixture('Two models can answer at the same time.');
    dir = mkdtempSync(path.join(tmpdir(), 'model-residency-'));
    engine = new LocalWhisperEngine(
      {
        model: realModel(models, 'tiny.en', 'ggml'),
        models: [realModel(models, 'base', 'ggml')],
        modelsDir: dir, threads: 2, concurrency: 1, build: 'native', useGpu: false, autoDownload: false,
        downloadBaseUrl: 'http://127.0.0.1:9', workerBinary: build.binaries['whisper-worker'], idleUnloadSeconds: 60,
      },
      { logger: quiet },
    );
    await engine.start();
  }, 15 * 60_000);

  afterAll(async () => {
    await engine?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const models = async () => (await engine.health()).detail['models'] as Record<string, { state: string; pid: number | null; active: number }>;
  const run = (model: string, onProgress?: () => void) =>
    engine.transcribe({ audio: { path: speech.pcm, durationSeconds: speech.durationSeconds, sampleRate: 16000 }, options, model, signal: new AbortController().signal, onProgress });

  it('runs requests for two different models at the same time, each in its own worker', async () => {
    let bothActive = false;
    const check = async () => {
      const now = await models();
      if (now['tiny.en']?.active === 1 && now['base']?.active === 1) bothActive = true;
    };
    const poll = setInterval(() => void check(), 20);
    const results = await Promise.all([run('tiny.en'), run('base')]);
    clearInterval(poll);
    expect(bothActive).toBe(true);
    for (const result of results) expect(result.text.toLowerCase()).toContain('models');
    const now = await models();
    expect(now['tiny.en']?.pid).not.toBe(now['base']?.pid);
  });

  it('gives an idle model\'s memory back when it unloads', async () => {
    await run('base');
    const before = await models();
    const basePid = before['base']?.pid;
    const rssBefore = { base: rssMiB(basePid), tiny: rssMiB(before['tiny.en']?.pid) };
    expect(rssBefore.base).toBeGreaterThan(100); // base's weights alone are ~140 MiB

    expect(await engine.unloadIdle(Date.now() + 61_000)).toEqual(['base']);
    const after = await models();
    const rssAfter = { base: rssMiB(basePid), tiny: rssMiB(after['tiny.en']?.pid) };
    process.stdout.write(
      `model workers RSS (MiB): before unload base=${rssBefore.base.toFixed(1)} tiny.en=${rssBefore.tiny.toFixed(1)}; ` +
        `after unload base=${rssAfter.base.toFixed(1)} tiny.en=${rssAfter.tiny.toFixed(1)}\n`,
    );
    expect(after['base']?.state).toBe('unloaded');
    expect(rssAfter.base).toBe(0);
    expect(rssAfter.tiny).toBeGreaterThan(0);
    expect(rssBefore.base + rssBefore.tiny - (rssAfter.base + rssAfter.tiny)).toBeGreaterThan(100);
  });
});
