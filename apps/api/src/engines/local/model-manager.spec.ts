import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateWhisperModel, MODEL_PRESETS } from '@speech/test-support';

import { MODEL_CATALOG, type CatalogModel } from './model-catalog';
import { downloadCommand, ModelManager } from './model-manager';
import type { EngineLogger } from './engine-logger';

const quietStream = { isTTY: false } as NodeJS.WriteStream;

describe('ModelManager', () => {
  let dir: string;
  let modelBytes: Buffer;
  let server: Server;
  let baseUrl: string;
  let requests: string[];
  let logLines: string[];

  const logger: EngineLogger = { log: (m) => logLines.push(m), warn: (m) => logLines.push(m), error: (m) => logLines.push(m) };
  const entry = (name: string, sha1: string | null): [string, CatalogModel] => [name, { name, sha1, approxMiB: null, multilingual: true }];

  const manager = (opts: { autoDownload?: boolean; url?: string } = {}) =>
    new ModelManager({
      modelsDir: path.join(dir, 'models'),
      downloadBaseUrl: opts.url ?? baseUrl,
      autoDownload: opts.autoDownload ?? true,
      logger,
      progressStream: quietStream,
      catalog: new Map([
        entry('good', createHash('sha1').update(modelBytes).digest('hex')),
        entry('corrupt', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'),
        entry('unchecked', null),
        entry('truncated', null),
        entry('missing', null),
      ]),
    });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'models-'));
    const file = path.join(dir, 'generated.bin');
    const dims = { ...MODEL_PRESETS['tiny-test'], n_audio_state: 16, n_text_state: 16, n_audio_layer: 1, n_text_layer: 1 };
    await generateWhisperModel({ dims, out: file, seed: 11 });
    modelBytes = readFileSync(file);
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.on('error', () => undefined); // a client that gives up mid-body is part of these tests
      if (req.url === '/ggml-truncated.bin') {
        // Promise more bytes than are sent, then drop the connection.
        res.writeHead(200, { 'content-length': String(modelBytes.length) });
        res.write(modelBytes.subarray(0, 1000), () => res.destroy());
        return;
      }
      const name = /^\/ggml-(good|corrupt|unchecked)\.bin$/.exec(req.url ?? '')?.[1];
      if (!name) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-length': String(modelBytes.length) });
      // Streamed in pieces so the progress reporting sees several updates.
      let offset = 0;
      const pump = () => {
        while (offset < modelBytes.length) {
          const piece = modelBytes.subarray(offset, (offset += 256 * 1024));
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    requests = [];
    logLines = [];
    rmSync(path.join(dir, 'models'), { recursive: true, force: true });
  });

  const modelsDirFiles = () => (existsSync(path.join(dir, 'models')) ? readdirSync(path.join(dir, 'models')) : []);

  it('downloads a named model, verifies its SHA-1 and renames it into place', async () => {
    const file = await manager().resolve('good');
    expect(file).toBe(path.join(dir, 'models', 'ggml-good.bin'));
    expect(readFileSync(file).equals(modelBytes)).toBe(true);
    expect(modelsDirFiles()).toEqual(['ggml-good.bin', 'ggml-good.bin.sha256']); // no .part left behind
    expect(logLines.some((l) => /downloading good \[#+-*\] \d+%/.test(l))).toBe(true);
    expect(logLines.some((l) => l.includes('sha1'))).toBe(true);
    // Already there: no second request.
    await manager().resolve('good');
    expect(requests).toEqual(['/ggml-good.bin']);
  });

  it('shares one download between concurrent callers', async () => {
    const m = manager();
    const [a, b] = await Promise.all([m.download('good'), m.download('good')]);
    expect(a).toBe(b);
    expect(requests).toHaveLength(1);
  });

  it('rejects a file whose SHA-1 does not match and leaves nothing behind', async () => {
    await expect(manager().resolve('corrupt')).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringMatching(/SHA-1 [0-9a-f]{40}, not the published.*npm run model:download -- corrupt/),
    });
    expect(modelsDirFiles()).toEqual([]);
  });

  it('accepts a model without a published checksum when it arrives whole and has the ggml magic', async () => {
    const file = await manager().resolve('unchecked');
    expect(readFileSync(file).equals(modelBytes)).toBe(true);
  });

  it('rejects a transfer that keeps breaking off, keeping only the .part a later download resumes from', async () => {
    await expect(manager().resolve('truncated')).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    expect(modelsDirFiles()).toEqual(['ggml-truncated.bin.part']);
  });

  it('maps HTTP 404 to MODEL_UNAVAILABLE naming the URL', async () => {
    await expect(manager().resolve('missing')).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining(`${baseUrl}ggml-missing.bin: HTTP 404`),
    });
  });

  it('maps a refused connection (offline) to MODEL_UNAVAILABLE with the command to retry', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(manager({ url: `http://127.0.0.1:${port}` }).resolve('good')).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringMatching(/ECONNREFUSED.*npm run model:download -- good/),
    });
  });

  it('names the download command when the model is missing and auto-download is off', async () => {
    await expect(manager({ autoDownload: false }).resolve('good')).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining(downloadCommand('good')),
    });
    expect(requests).toEqual([]);
  });

  it('lists the known names for an unknown model', async () => {
    await expect(manager().resolve('huge-v9')).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('good, corrupt'),
    });
  });

  it('uses a file path as it is after checking the ggml magic', async () => {
    const good = path.join(dir, 'local-model.bin');
    writeFileSync(good, modelBytes);
    await expect(manager().resolve(good)).resolves.toBe(good);
    const bad = path.join(dir, 'not-a-model.bin');
    writeFileSync(bad, 'GGUF this is not a legacy ggml file');
    await expect(manager().resolve(bad)).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: expect.stringContaining('bad magic') });
    await expect(manager().resolve(path.join(dir, 'nope.bin'))).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('does not exist'),
    });
  });
});

describe('MODEL_CATALOG', () => {
  it('has every size with its quantized variants and upstream checksums', () => {
    for (const name of ['tiny', 'tiny.en', 'base', 'base.en', 'small', 'small.en', 'medium', 'medium.en', 'large-v1', 'large-v2', 'large-v3', 'large-v3-turbo']) {
      expect(MODEL_CATALOG.get(name)?.sha1).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(MODEL_CATALOG.get('large-v3-turbo')?.sha1).toBe('4af2b29d7ec73d781377bfd1758ca957a807e941');
    expect(MODEL_CATALOG.get('large-v3-turbo-q5_0')?.sha1).toBe('e050f7970618a659205450ad97eb95a18d69c9ee');
    expect(MODEL_CATALOG.get('base.en-q5_1')).toMatchObject({ sha1: null, multilingual: false });
  });
});
