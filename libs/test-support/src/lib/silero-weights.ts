import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { workspaceRoot } from './workspace';

/**
 * For specs and benches: the real Silero ONNX file from `npm run models:vad` (pinned, cached under
 * .cache/models-vad; the first call downloads it). Throws when that fails: checks on real weights never skip.
 */
export function sileroWeights(): string {
  const done = spawnSync(process.execPath, ['scripts/models/vad/models-vad.mjs'], { cwd: workspaceRoot(), encoding: 'utf8', timeout: 10 * 60_000 });
  const path = done.stdout?.trim().split('\n').pop()?.split('\t')[2];
  if (done.status !== 0 || !path || !existsSync(path)) {
    throw new Error(`npm run models:vad failed (${done.status ?? done.signal}):\n${(done.stderr ?? '').slice(-4000)}`);
  }
  return path;
}
