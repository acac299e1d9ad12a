import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { DomainError, isDomainError } from '../../common/domain-error';
import { hasGgmlMagic } from '../model-downloads/ggml-magic';
import { ModelDownloadManager } from '../model-downloads/model-download-manager';
import { MODEL_CATALOG, modelFileName, type CatalogModel } from './model-catalog';
import { DownloadProgress } from './download-progress';
import type { EngineLogger } from './engine-logger';

export { hasGgmlMagic };

export interface ModelManagerOptions {
  modelsDir: string;
  downloadBaseUrl: string;
  autoDownload: boolean;
  logger: EngineLogger;
  /** Injectable for tests; defaults to the published whisper.cpp models. */
  catalog?: ReadonlyMap<string, CatalogModel>;
  /** Where the progress bar goes; defaults to process.stderr. */
  progressStream?: NodeJS.WriteStream;
  /** The downloads shared with POST /v1/models/{id}/download; by default one of its own. */
  downloads?: ModelDownloadManager;
}

/** The command that fetches a named model; every "not downloaded" message names it. */
export function downloadCommand(name: string): string {
  return `npm run model:download -- ${name}`;
}

/** A name or a path? Paths contain a separator or end in .bin; names are catalog keys like 'base.en'. */
export function looksLikePath(model: string): boolean {
  return model.includes('/') || model.includes(path.sep) || model.endsWith('.bin');
}

/**
 * Turns the configured model (a catalog name or a file path) into a usable file: checks it, and downloads a
 * named model when allowed, through the download manager (model-downloads/), which resumes, verifies and renames
 * into place, so a half-written file is never mistaken for a model.
 */
export class ModelManager {
  readonly downloads: ModelDownloadManager;

  constructor(private readonly options: ModelManagerOptions) {
    this.downloads =
      options.downloads ??
      new ModelDownloadManager({ modelsDir: options.modelsDir, baseUrl: options.downloadBaseUrl, concurrency: 2, logger: options.logger, catalog: options.catalog });
  }

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

  /**
   * Downloads a named model (again, with force) through the shared download manager: concurrent calls, and a
   * download started from the API, are one download. A failure is MODEL_UNAVAILABLE naming the command to retry.
   */
  async download(name: string, force = false): Promise<string> {
    const entry = this.catalogEntry(name);
    const file = this.fileFor(entry.name);
    if (!force && existsSync(file)) return file;
    try {
      const download = await this.downloads.start(entry.name, { force });
      const progress = new DownloadProgress(entry.name, (entry.approxMiB ?? 0) * 1024 * 1024, this.options.logger, this.options.progressStream);
      const stop = download.watch((event) => {
        if (event.type === 'progress') progress.update(event.receivedBytes, event.totalBytes ?? undefined);
      });
      try {
        return (await download.done).file;
      } finally {
        stop();
        progress.done();
      }
    } catch (error) {
      const why = isDomainError(error) ? error.message : (error as Error).message;
      throw new DomainError(
        'MODEL_UNAVAILABLE',
        `Cannot download model '${entry.name}': ${why} Retry with \`${downloadCommand(entry.name)}\` when the network is back, or copy the file to ${file}.`,
        { model: entry.name, cause: isDomainError(error) ? error.code : 'MODEL_DOWNLOAD_FAILED' },
      );
    }
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
}
