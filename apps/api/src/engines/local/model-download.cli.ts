/**
 * Downloads whisper.cpp ggml models into the models directory the API reads (WHISPER_MODELS_DIR), through the same
 * download manager as POST /v1/models/{id}/download: resumed after an interruption, checked against the SHA-1
 * upstream publishes, renamed into place.
 *   npm run model:download -- large-v3-turbo [base.en ...] [--force] [--dir DIR] [--base-url URL]
 *   npm run model:download -- --list
 * (npm script: node scripts/run-ts.mjs apps/api/src/engines/local/model-download.cli.ts)
 */
import path from 'node:path';

import { isDomainError } from '../../common/domain-error';
import { modelMap } from '../../config/model-maps';
import { ModelDownloadManager } from '../model-downloads/model-download-manager';
import { DownloadProgress } from './download-progress';
import { DEFAULT_DOWNLOAD_BASE_URL, DEFAULT_MODELS_DIR } from './local-engine.config';
import { MODEL_CATALOG } from './model-catalog';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const valued = new Set(['--dir', '--base-url']);
  const names = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? ''));
  if (args.includes('--list') || names.length === 0) {
    process.stdout.write('name                   sha1 (from upstream models/README.md)\n');
    for (const m of MODEL_CATALOG.values()) {
      process.stdout.write(`${m.name.padEnd(22)} ${m.sha1 ?? '(none published: length and ggml magic are checked)'}\n`);
    }
    return names.length === 0 && !args.includes('--list') ? 64 : 0;
  }
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const logger = { log, warn: log, error: log };
  const downloads = new ModelDownloadManager({
    modelsDir: path.resolve(option('--dir') ?? process.env['WHISPER_MODELS_DIR'] ?? DEFAULT_MODELS_DIR),
    baseUrl: option('--base-url') ?? process.env['MODEL_DOWNLOAD_BASE_URL'] ?? process.env['WHISPER_DOWNLOAD_BASE_URL'] ?? DEFAULT_DOWNLOAD_BASE_URL,
    concurrency: 1,
    sha1Pins: new Map(modelMap(process.env['MODEL_DOWNLOAD_SHA1'] ?? '').map(([name, sha1]) => [name, sha1.toLowerCase()])),
    logger,
  });
  for (const name of names) {
    try {
      const download = await downloads.start(name, { force: args.includes('--force') });
      const progress = new DownloadProgress(name, (MODEL_CATALOG.get(name)?.approxMiB ?? 0) * 1024 * 1024, logger);
      download.watch((event) => {
        if (event.type === 'progress') progress.update(event.receivedBytes, event.totalBytes ?? undefined);
      });
      const result = await download.done;
      progress.done();
      process.stdout.write(`${result.file}\t${result.sizeBytes}\tsha256:${result.sha256}\n`);
    } catch (error) {
      log(isDomainError(error) ? `${error.code}: ${error.message}` : String(error));
      return 1;
    }
  }
  return 0;
}

main().then((code) => process.exit(code));
