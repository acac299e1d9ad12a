// Where the project's Python lives, shared by scripts/python-env.mjs (set-up), scripts/python-lock.mjs (lock) and the
// tests that start Python (scripts/test.mjs, libs/test-support/src/lib/speech-python.ts reads the same rule).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VENV_DIR = path.join(ROOT, '.cache/venv');
export const VENV_PYTHON = path.join(VENV_DIR, 'bin/python');
export const LOCK_FILE = path.join(ROOT, 'python/requirements.lock');
/** Resolved with their dependencies into the lock. */
export const RESOLVED_WITH_DEPS = [
  'model-container/requirements-torch.txt',
  'model-container/requirements-model.txt',
  'model-container/requirements-server.txt',
  'python/requirements-dev.txt',
];
/** Locked without their dependencies (data files and helpers only). */
export const RESOLVED_WITHOUT_DEPS = ['python/requirements-nodeps.txt'];

/** The interpreter tests run: SPEECH_PYTHON (e.g. a developer's own venv), else the venv `npm run python:setup` makes. */
export function speechPython() {
  return process.env.SPEECH_PYTHON || VENV_PYTHON;
}

/** The interpreter the venv is made from. */
export function basePython() {
  return process.env.SPEECH_PYTHON_BASE || 'python3';
}
