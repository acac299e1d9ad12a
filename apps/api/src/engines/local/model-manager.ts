import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { DomainError } from '../../common/domain-error';
import { MODEL_CATALOG, modelFileName, modelUrl, type CatalogModel } from './model-catalog';
import { DownloadProgress } from './download-progress';
import type { EngineLogger } from './engine-logger';

const GGML_MAGIC = 0x67676d6c;

export interface ModelManagerOptions {
  modelsDir: string;
  downloadBaseUrl: string;
  autoDownload: boolean;
  logger: EngineLogger;
  /** Injectable for tests; defaults to the published whisper.cpp models. */
  catalog?: ReadonlyMap<string, CatalogModel>;
  /** Where the progress bar goes; defaults to process.stderr. */
  progressStream?: NodeJS.WriteStream;
}

/** The command that fetches a named model; every "not downloaded" message names it. */
export function downloadCommand(name: string): string {
  return `npm run model:download -- ${name}`;
}

/** A name or a path? Paths contain a separator or end in .bin; names are catalog keys like 'base.en'. */
export function looksLikePath(model: string): boolean {
  return model.includes('/') || model.includes(path.sep) || model.endsWith('.bin');
}

/** Checks the first four bytes for the ggml magic; whisper.cpp would reject anything else at load time. */
export async function hasGgmlMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === GGML_MAGIC;
  } finally {
    await handle.close();
  }
}

/**
 * Turns the configured model (a catalog name or a file path) into a usable file: checks it, and downloads a
 * named model when allowed. Downloads stream to `<file>.partial`, are verified (SHA-1 where upstream
 * publishes one, otherwise full length and ggml magic) and renamed into place, so a half-written file is
 * never mistaken for a model.
 */
export class ModelManager {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly options: ModelManagerOptions) {}

  private get catalog(): ReadonlyMap<string, CatalogModel> {
    return this.options.catalog ?? MODEL_CATALOG;
  }

  fileFor(name: string): string {
    return path.resolve(this.options.modelsDir, modelFileName(name));
  }

  /** Path of a usable model file, or a MODEL_UNAVAILABLE DomainError that says what to do. */
  async resolve(model: string): Promise<string> {
    if (looksLikePath(model)) return this.checkFile(path.resolve(model), model);
    const entry = this.catalogEntry(model);
    const file = this.fileFor(entry.name);
    if (existsSync(file)) return this.checkFile(file, model);
    if (!this.options.autoDownload) {
      throw new DomainError(
        'MODEL_UNAVAILABLE',
        `Model '${model}' is not downloaded (expected ${file}). Run \`${downloadCommand(model)}\`, ` +
          'or enable automatic download.',
        { model, file },
      );
    }
    return this.download(model);
  }

  /** Downloads a named model (again, with force). Concurrent calls for one model share one download. */
  download(name: string, force = false): Promise<string> {
    const entry = this.catalogEntry(name);
    const file = this.fileFor(entry.name);
    if (!force && existsSync(file)) return Promise.resolve(file);
    let pending = this.inFlight.get(file);
    if (!pending) {
      pending = this.fetchToFile(entry, file).finally(() => this.inFlight.delete(file));
      this.inFlight.set(file, pending);
    }
    return pending;
  }

  private catalogEntry(name: string): CatalogModel {
    const entry = this.catalog.get(name);
    if (!entry) {
      throw new DomainError(
        'MODEL_UNAVAILABLE',
        `Unknown model '${name}'. Use a file path or one of: ${[...this.catalog.keys()].join(', ')}.`,
        { model: name },
      );
    }
    return entry;
  }

  private async checkFile(file: string, model: string): Promise<string> {
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new DomainError('MODEL_UNAVAILABLE', `Model file ${file} does not exist.`, { model, file });
    }
    if (!(await hasGgmlMagic(file))) {
      throw new DomainError(
        'MODEL_UNAVAILABLE',
        `${file} is not a whisper.cpp ggml model (bad magic). Convert it, or use a catalog name such as 'base'.`,
        { model, file },
      );
    }
    return file;
  }

  private async fetchToFile(entry: CatalogModel, file: string): Promise<string> {
    const url = modelUrl(this.options.downloadBaseUrl, entry.name);
    const unavailable = (why: string) =>
      new DomainError(
        'MODEL_UNAVAILABLE',
        `Cannot download model '${entry.name}' from ${url}: ${why}. Retry with \`${downloadCommand(entry.name)}\` ` +
          `when the network is back, or copy the file to ${file}.`,
        { model: entry.name, url },
      );
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'follow' });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw unavailable(cause?.code ?? cause?.message ?? (error as Error).message);
    }
    if (!response.ok || !response.body) throw unavailable(`HTTP ${response.status}`);

    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    const total = Number(response.headers.get('content-length')) || (entry.approxMiB ?? 0) * 1024 * 1024;
    const progress = new DownloadProgress(entry.name, total, this.options.logger, this.options.progressStream);
    const sha1 = createHash('sha1');
    let received = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sha1.update(chunk);
        received += chunk.length;
        progress.update(received);
        callback(null, chunk);
      },
    });
    try {
      // pipeline() tears every stage down on failure, so a dropped connection can't leave a write dangling.
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), measure, createWriteStream(partial));
    } catch (error) {
      rmSync(partial, { force: true });
      throw unavailable(`the transfer broke off after ${received} bytes (${(error as Error).message})`);
    } finally {
      progress.done();
    }

    const expectedLength = Number(response.headers.get('content-length'));
    const digest = sha1.digest('hex');
    let problem: string | undefined;
    if (entry.sha1 && digest !== entry.sha1) problem = `SHA-1 mismatch (expected ${entry.sha1}, got ${digest})`;
    else if (expectedLength > 0 && received !== expectedLength) problem = `got ${received} of ${expectedLength} bytes`;
    else if (!(await hasGgmlMagic(partial))) problem = 'the file is not a ggml model';
    if (problem) {
      rmSync(partial, { force: true });
      throw unavailable(problem);
    }
    renameSync(partial, file);
    this.options.logger.log(`model ${entry.name} saved to ${file} (${received} bytes, sha1 ${digest})`);
    return file;
  }
}
