import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateWhisperModel, MODEL_PRESETS } from '@speech/test-support';

import type { CatalogModel } from '../local/model-catalog';
import type { DownloadEvent } from './model-download';
import { ModelDownloadManager } from './model-download-manager';
import { ModelFileServer } from './testing/model-file-server';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('ModelDownloadManager', () => {
  let dir: string;
  let modelsDir: string;
  let bytes: Buffer;
  let server: ModelFileServer;
  let baseUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'model-downloads-'));
    const file = path.join(dir, 'generated.bin');
    // A real (random-weight) whisper.cpp model: ggml magic, hparams, vocab and tensors, ~1 MB.
    await generateWhisperModel({ dims: { ...MODEL_PRESETS['tiny-test'], n_audio_state: 32, n_text_state: 32, n_audio_layer: 2, n_text_layer: 2 }, out: file, seed: 5 });
    bytes = readFileSync(file);
  });

  beforeEach(async () => {
    modelsDir = path.join(dir, `models-${Math.random().toString(36).slice(2)}`);
    server = new ModelFileServer();
    baseUrl = await server.start();
  });

  afterEach(async () => server.stop());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const entry = (name: string, sum: string | null): [string, CatalogModel] => [name, { name, sha1: sum, approxMiB: null, multilingual: true }];
  const manager = (options: { concurrency?: number; attempts?: number; catalog?: Array<[string, CatalogModel]> } = {}) =>
    new ModelDownloadManager({
      modelsDir,
      baseUrl,
      concurrency: options.concurrency ?? 2,
      attempts: options.attempts ?? 3,
      retryDelayMs: 10,
      progressIntervalMs: 0,
      logger: quiet,
      catalog: new Map(options.catalog ?? [entry('tiny.en', sha1(bytes)), entry('base', null), entry('small', null)]),
    });
  const events = (list: DownloadEvent[]) => list.map((event) => event.type);

  it('resumes a dropped transfer with a Range request and installs the verified file atomically', async () => {
    server.serve('tiny.en', { bytes, cutOnceAfter: 300_000 });
    const seen: DownloadEvent[] = [];
    const download = await manager().start('tiny.en');
    download.watch((event) => seen.push(event));
    const result = await download.done;

    expect(server.requests).toEqual([
      { path: '/ggml-tiny.en.bin', range: null },
      { path: '/ggml-tiny.en.bin', range: expect.stringMatching(/^bytes=\d+-$/) },
    ]);
    const resumedFrom = Number(/=(\d+)-/.exec(server.requests[1]?.range ?? '')?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(300_000);
    expect(readFileSync(result.file).equals(bytes)).toBe(true);
    expect(result).toEqual({ id: 'tiny.en', file: path.join(modelsDir, 'ggml-tiny.en.bin'), sizeBytes: bytes.length, sha256: sha256(bytes) });
    expect(readdirSync(modelsDir).sort()).toEqual(['ggml-tiny.en.bin', 'ggml-tiny.en.bin.sha256']);
    expect(events(seen).at(-1)).toBe('completed');
    const progress = seen.filter((event) => event.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ receivedBytes: bytes.length, totalBytes: bytes.length });
  });

  it('keeps the .part of a failed download and resumes from it on the next one', async () => {
    server.serve('tiny.en', { bytes, cutOnceAfter: 400_000 });
    const first = await manager({ attempts: 1 }).start('tiny.en');
    await expect(first.done).rejects.toMatchObject({ code: 'MODEL_DOWNLOAD_FAILED', message: expect.stringContaining('a new download resumes') });
    const kept = readFileSync(path.join(modelsDir, 'ggml-tiny.en.bin.part')).length;
    expect(kept).toBeGreaterThan(0);
    expect(existsSync(path.join(modelsDir, 'ggml-tiny.en.bin'))).toBe(false);

    const result = await manager({ attempts: 1 }).download('tiny.en');
    expect(server.requests[1]).toEqual({ path: '/ggml-tiny.en.bin', range: `bytes=${kept}-` });
    expect(result.sha256).toBe(sha256(bytes));
  });

  it('discards a file whose SHA-1 is not the published one (MODEL_CHECKSUM_MISMATCH)', async () => {
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 1] ^= 0xff;
    server.serve('tiny.en', { bytes: tampered });
    const seen: DownloadEvent[] = [];
    // One manager: a second one would run a second transfer of the same file beside the first.
    const download = await manager().start('tiny.en');
    download.watch((event) => seen.push(event));
    await expect(download.done).rejects.toMatchObject({
      code: 'MODEL_CHECKSUM_MISMATCH',
      details: { expected_sha1: sha1(bytes), actual_sha1: sha1(tampered) },
    });
    expect(seen.at(-1)).toMatchObject({ type: 'failed', error: { code: 'MODEL_CHECKSUM_MISMATCH' } });
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('runs at most MODEL_DOWNLOAD_CONCURRENCY downloads; one more is refused with MODEL_DOWNLOADS_BUSY', async () => {
    for (const name of ['tiny.en', 'base', 'small']) server.serve(name, { bytes, pieceDelayMs: 20 });
    const downloads = manager({ concurrency: 2, catalog: [entry('tiny.en', null), entry('base', null), entry('small', null)] });
    const a = await downloads.start('tiny.en');
    const b = await downloads.start('base');
    await expect(downloads.start('small')).rejects.toMatchObject({ code: 'MODEL_DOWNLOADS_BUSY', retryAfterSeconds: expect.any(Number) });
    await Promise.all([a.done, b.done]);
    await expect(downloads.download('small')).resolves.toMatchObject({ sizeBytes: bytes.length });
  });

  it('re-attaches a second request to the download under way: current progress first, then the same events', async () => {
    server.serve('tiny.en', { bytes, pieceDelayMs: 15 });
    const downloads = manager();
    const first = await downloads.start('tiny.en');
    const early: DownloadEvent[] = [];
    first.watch((event) => early.push(event));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await downloads.start('tiny.en');
    expect(second).toBe(first);
    const late: DownloadEvent[] = [];
    second.watch((event) => late.push(event));
    expect(late[0]).toMatchObject({ type: 'progress', id: 'tiny.en' });
    expect((late[0] as { receivedBytes: number }).receivedBytes).toBeGreaterThan(0);
    expect(downloads.progress('tiny.en')?.receivedBytes).toBeGreaterThan(0);
    await second.done;
    expect(server.requests).toHaveLength(1);
    expect(late.at(-1)).toEqual(early.at(-1));
    expect(late.at(-1)).toMatchObject({ type: 'completed', sha256: sha256(bytes) });
    expect(downloads.progress('tiny.en')).toBeUndefined();
  });

  it('answers an installed model with a completed download at once, its SHA-256 from the file', async () => {
    const file = path.join(modelsDir, 'ggml-tiny.en.bin');
    await manager().download('tiny.en').catch(() => undefined); // 404: nothing served yet
    writeFileSync(file, bytes);
    const seen: DownloadEvent[] = [];
    (await manager().start('tiny.en')).watch((event) => seen.push(event));
    expect(seen).toEqual([{ type: 'completed', id: 'tiny.en', file, sizeBytes: bytes.length, sha256: sha256(bytes) }]);
    expect(readFileSync(`${file}.sha256`, 'utf8').trim()).toBe(sha256(bytes));
  });

  it('refuses a name outside the catalog (MODEL_NOT_DOWNLOADABLE) and a 404 without retrying', async () => {
    await expect(manager().start('huge-v9')).rejects.toMatchObject({ code: 'MODEL_NOT_DOWNLOADABLE' });
    await expect(manager().download('base')).rejects.toMatchObject({ code: 'MODEL_DOWNLOAD_FAILED', message: expect.stringContaining('HTTP 404') });
    expect(server.requests).toHaveLength(1);
  });

  it('restarts from zero when the server ignores the Range header', async () => {
    const downloads = manager();
    const file = path.join(modelsDir, 'ggml-tiny.en.bin');
    await downloads.download('base').catch(() => undefined); // creates the directory
    writeFileSync(`${file}.part`, Buffer.from('garbage that is not the head of the model'));
    server.serve('tiny.en', { bytes, ignoreRange: true });
    const result = await downloads.download('tiny.en');
    expect(server.requests.at(-1)).toEqual({ path: '/ggml-tiny.en.bin', range: 'bytes=41-' });
    expect(readFileSync(result.file).equals(bytes)).toBe(true);
  });
});
