import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { DomainError } from '../../common/domain-error';
import type { LocalEngineConfig } from './local-engine.config';
import type { EngineLogger } from './engine-logger';

/** The manifest scripts/build-whisper.mjs writes (build.json). */
export interface NativeBuild {
  flavour: LocalEngineConfig['build'];
  version: string;
  binaries: { 'whisper-worker': string; 'whisper-cli': string; 'whisper-bench': string };
  seconds: number;
}

/** The workspace root (holding nx.json), searched upwards from here so a bundled dist/ works too. */
export function findWorkspaceRoot(start = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/**
 * Gets the native build for a flavour by running scripts/build-whisper.mjs: instant when cached, a few
 * minutes of compiling the first time on a machine. It runs as a child process because the script is ESM
 * and must also work before any TypeScript is built; its progress lines go to the logger.
 */
export function ensureNativeBuild(flavour: LocalEngineConfig['build'], logger: EngineLogger): Promise<NativeBuild> {
  const root = findWorkspaceRoot();
  const script = path.join(root, 'scripts/build-whisper.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--json'], {
      cwd: root,
      env: { ...process.env, WHISPER_BUILD: flavour },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const stderr: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        stderr.push(line);
        logger.log(line);
      }
    });
    child.on('error', (error) => reject(new DomainError('ENGINE_FAILED', `cannot run ${script}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) {
        try {
          resolve(JSON.parse(stdout) as NativeBuild);
          return;
        } catch {
          // fall through: report the unparsable output below
        }
      }
      const why = stderr.slice(-3).join(' ') || stdout.slice(0, 300);
      reject(new DomainError('ENGINE_FAILED', `The whisper.cpp build (${flavour}) failed: ${why}`));
    });
  });
}
