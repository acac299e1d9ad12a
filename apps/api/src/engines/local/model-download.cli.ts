/**
 * Downloads whisper.cpp ggml models into the models directory the API reads (WHISPER_MODELS_DIR).
 *   npm run model:download -- large-v3-turbo [base.en ...] [--force] [--dir DIR] [--base-url URL]
 *   npm run model:download -- --list
 * (npm script: node scripts/run-ts.mjs apps/api/src/engines/local/model-download.cli.ts)
 */
import path from 'node:path';

import { isDomainError } from '../../common/domain-error';
import { DEFAULT_DOWNLOAD_BASE_URL, DEFAULT_MODELS_DIR } from './local-engine.config';
import { MODEL_CATALOG } from './model-catalog';
import { ModelManager } from './model-manager';

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
  const modelsDir = path.resolve(option('--dir') ?? process.env['WHISPER_MODELS_DIR'] ?? DEFAULT_MODELS_DIR);
  const downloadBaseUrl = option('--base-url') ?? process.env['WHISPER_DOWNLOAD_BASE_URL'] ?? DEFAULT_DOWNLOAD_BASE_URL;
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const manager = new ModelManager({ modelsDir, downloadBaseUrl, autoDownload: true, logger: { log, warn: log, error: log } });
  for (const name of names) {
    try {
      process.stdout.write(`${await manager.download(name, args.includes('--force'))}\n`);
    } catch (error) {
      log(isDomainError(error) ? `${error.code}: ${error.message}` : String(error));
      return 1;
    }
  }
  return 0;
}

main().then((code) => process.exit(code));
