import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { DomainError } from '../../common/domain-error';
import type { EngineLogger } from '../local/engine-logger';
import { MODEL_CATALOG, modelFileName, modelUrl, type CatalogModel } from '../local/model-catalog';
import { hasGgmlMagic } from './ggml-magic';
import { fileDigests } from './file-digests';
import { downloadFailure, ModelDownload, type DownloadProgressState, type DownloadResult } from './model-download';
import { partBytes, transferToPart, TransferError } from './ranged-transfer';

export interface ModelDownloadManagerOptions {
  /** Where models are stored (WHISPER_MODELS_DIR). */
  readonly modelsDir: string;
  /** Where `ggml-<name>.bin` files are fetched from (MODEL_DOWNLOAD_BASE_URL). */
  readonly baseUrl: string;
  /** Downloads at once (MODEL_DOWNLOAD_CONCURRENCY); one more is refused with MODEL_DOWNLOADS_BUSY. */
  readonly concurrency: number;
  readonly logger: EngineLogger;
  /** Injectable for tests; defaults to whisper.cpp's published models. */
  readonly catalog?: ReadonlyMap<string, CatalogModel>;
  /** SHA-1s that replace the catalog's, for a mirror serving its own conversions (MODEL_DOWNLOAD_SHA1). */
  readonly sha1Pins?: ReadonlyMap<string, string>;
  /** HTTP attempts per download, each resuming where the last stopped. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  /** Least time between two progress events. */
  readonly progressIntervalMs?: number;
}

/**
 * Downloads catalog models into the models directory: into `ggml-<name>.bin.part`, resumed with an HTTP Range after
 * a dropped connection (within one download, and by the next one after a failure), checked against the SHA-1
 * upstream publishes, then renamed into place, so a file under the model's name is always whole. The SHA-256 is
 * kept beside the model (`.sha256`) to report it without reading gigabytes again. One download per model: a second
 * request joins the first.
 */
export class ModelDownloadManager {
  private readonly running = new Map<string, ModelDownload>();

  constructor(private readonly options: ModelDownloadManagerOptions) {}

  get catalog(): ReadonlyMap<string, CatalogModel> {
    return this.options.catalog ?? MODEL_CATALOG;
  }

  fileFor(id: string): string {
    return path.resolve(this.options.modelsDir, modelFileName(id));
  }

  isDownloadable(id: string): boolean {
    return this.catalog.has(id);
  }

  /** The download under way for `id`, if any. */
  progress(id: string): DownloadProgressState | undefined {
    return this.running.get(id)?.progress;
  }

  /**
   * The download of `id`: the one under way, an already completed one when the model is installed (unless `force`),
   * or a new one. Throws MODEL_NOT_DOWNLOADABLE for a name outside the catalog, MODEL_DOWNLOADS_BUSY past the bound.
   */
  async start(id: string, options: { force?: boolean } = {}): Promise<ModelDownload> {
    const entry = this.catalog.get(id);
    if (!entry) {
      throw new DomainError('MODEL_NOT_DOWNLOADABLE', `Model '${id}' is not in the download catalog; downloadable: ${[...this.catalog.keys()].join(', ')}.`, {
        model: id,
      });
    }
    const under = this.running.get(id);
    if (under) return under;
    const file = this.fileFor(id);
    if (!options.force && existsSync(file)) return ModelDownload.completed(await this.installedResult(id, file));
    if (this.running.size >= this.options.concurrency) {
      throw new DomainError(
        'MODEL_DOWNLOADS_BUSY',
        `${this.running.size} model download(s) are under way (MODEL_DOWNLOAD_CONCURRENCY=${this.options.concurrency}): ${[...this.running.keys()].join(', ')}; retry when one has finished.`,
        { running: [...this.running.keys()] },
        30,
      );
    }
    const download = new ModelDownload(id);
    this.running.set(id, download);
    void this.run(entry, download, file);
    return download;
  }

  /** Starts (or joins) the download and waits for it: the model's file path. */
  async download(id: string, options: { force?: boolean } = {}): Promise<DownloadResult> {
    return (await this.start(id, options)).done;
  }

  /** Removes an installed model's file (and its leftovers); false when there was none. Busy checks are the caller's. */
  remove(id: string): boolean {
    const file = this.fileFor(id);
    const existed = existsSync(file);
    for (const leftover of [file, `${file}.sha256`, `${file}.part`]) rmSync(leftover, { force: true });
    return existed;
  }

  private async run(entry: CatalogModel, download: ModelDownload, file: string): Promise<void> {
    const url = modelUrl(this.options.baseUrl, entry.name);
    const part = `${file}.part`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      await this.transferWithRetries(url, part, download);
      const result = await this.verifyAndInstall(entry, part, file);
      // Off the list before the watchers hear it, so whatever they do next sees the model installed.
      this.running.delete(entry.name);
      download.complete(result);
    } catch (error) {
      this.running.delete(entry.name);
      const failure = downloadFailure(entry.name, error);
      this.options.logger.warn(`model download ${entry.name} failed: ${failure.message}`);
      download.fail(failure);
    }
  }

  private async transferWithRetries(url: string, part: string, download: ModelDownload): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    const interval = this.options.progressIntervalMs ?? 250;
    let lastReport = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const final = await transferToPart(url, part, ({ received, total }) => {
          const now = Date.now();
          if (now - lastReport < interval) return;
          lastReport = now;
          download.report(received, total);
        });
        download.report(final.received, final.total);
        return;
      } catch (error) {
        const transfer = error instanceof TransferError ? error : new TransferError((error as Error).message, false);
        if (!transfer.retryable || attempt >= attempts) {
          throw new DomainError(
            'MODEL_DOWNLOAD_FAILED',
            `Downloading model '${download.id}' from ${url} failed after ${attempt} attempt(s): ${transfer.message}. ` +
              `${partBytes(part)} bytes are kept in ${part}; a new download resumes from there.`,
            { model: download.id, url, received_bytes: partBytes(part) },
          );
        }
        this.options.logger.warn(`model download ${download.id}: ${transfer.message}; resuming (attempt ${attempt + 1} of ${attempts})`);
        await sleep((this.options.retryDelayMs ?? 1000) * attempt);
      }
    }
  }

  /** SHA-1 where one is known, the ggml magic always; then the atomic rename and the SHA-256 beside the model. */
  private async verifyAndInstall(entry: CatalogModel, part: string, file: string): Promise<DownloadResult> {
    const digests = await fileDigests(part);
    const expected = this.options.sha1Pins?.get(entry.name) ?? entry.sha1;
    if (expected && digests.sha1 !== expected.toLowerCase()) {
      rmSync(part, { force: true }); // a wrong file cannot be resumed into a right one
      throw new DomainError(
        'MODEL_CHECKSUM_MISMATCH',
        `The download of model '${entry.name}' has SHA-1 ${digests.sha1}, not the published ${expected}; it was discarded.`,
        { model: entry.name, expected_sha1: expected, actual_sha1: digests.sha1 },
      );
    }
    if (!(await hasGgmlMagic(part))) {
      rmSync(part, { force: true });
      throw new DomainError('MODEL_DOWNLOAD_FAILED', `The download of model '${entry.name}' is not a whisper.cpp ggml file; it was discarded.`, {
        model: entry.name,
      });
    }
    writeFileSync(`${file}.sha256`, `${digests.sha256}\n`);
    renameSync(part, file);
    this.options.logger.log(`model ${entry.name} saved to ${file} (${digests.sizeBytes} bytes, sha1 ${digests.sha1}, sha256 ${digests.sha256})`);
    return { id: entry.name, file, sizeBytes: digests.sizeBytes, sha256: digests.sha256 };
  }

  /** An installed model's size and SHA-256 (from its `.sha256`, computed and kept once when missing). */
  private async installedResult(id: string, file: string): Promise<DownloadResult> {
    const sidecar = `${file}.sha256`;
    let sha256 = existsSync(sidecar) ? readFileSync(sidecar, 'utf8').trim() : '';
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      sha256 = (await fileDigests(file)).sha256;
      try {
        writeFileSync(sidecar, `${sha256}\n`);
      } catch {
        // a read-only models directory: compute it again next time
      }
    }
    return { id, file, sizeBytes: statSync(file).size, sha256 };
  }
}
