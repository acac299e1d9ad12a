#!/usr/bin/env node
// `npm run models:vad [-- --source pypi|url --url URL]`: pinned Silero VAD ONNX weights, cached under .cache/models-vad
// (see scripts/models/vad/). stdout: `name<TAB>onnx<TAB>absolute path` per model; progress goes to stderr.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { speechPython } from '../../python-files.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const result = spawnSync(speechPython(), ['-m', 'scripts.models.vad', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
});
if (result.error) {
  process.stderr.write(`models:vad: cannot run Python: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
