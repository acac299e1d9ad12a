import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { workspaceRoot } from './workspace';

/** The project's Python (faster-whisper, transformers, jiwer, openai-whisper's normalizers): SPEECH_PYTHON or the CI venv. */
export function speechPython(): string {
  const python = process.env['SPEECH_PYTHON'] ?? path.join(workspaceRoot(), '.cache/venv/bin/python');
  if (!existsSync(python)) {
    throw new Error(`no Python at ${python}: set SPEECH_PYTHON, or create the venv from the requirements files (.ci/run does)`);
  }
  return python;
}

/** Runs a Python script of this repository to completion; its stdout, or an error carrying its stderr. */
export function runPythonScript(script: string, args: readonly string[], input?: string, timeoutMs = 30 * 60_000): string {
  const done = spawnSync(speechPython(), [path.join(workspaceRoot(), script), ...args], {
    cwd: workspaceRoot(),
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (done.status !== 0) {
    throw new Error(`${script} failed (${done.status ?? done.signal ?? done.error?.message}):\n${(done.stderr ?? '').slice(-4000)}`);
  }
  return done.stdout;
}
