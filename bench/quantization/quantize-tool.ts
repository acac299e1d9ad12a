import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';

import { workspaceCacheDir, workspaceRoot } from '@speech/test-support';

/** Weight types compared for the laptop default; whisper-quantize takes these names. */
export const QUANTIZATIONS = ['f16', 'q8_0', 'q5_0'] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

const say = (m: string) => process.stderr.write(`${m}\n`);

function run(command: string, args: string[]): void {
  const done = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (done.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${done.status}): ${(done.stderr || done.stdout).slice(-2000)}`);
}

/**
 * whisper.cpp's own `whisper-quantize` (examples/quantize), built from the same sources and CPU flags as the
 * service's worker. The worker's build leaves the examples out, so this is a separate cmake tree, cached by
 * whisper.cpp checkout; WHISPER_QUANTIZE_CACHE moves it (e.g. into a worktree, to leave a shared cache alone).
 */
export function ensureQuantizeTool(): string {
  const source = process.env.WHISPER_CPP_DIR ?? path.join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp');
  const dir = process.env.WHISPER_QUANTIZE_CACHE ?? workspaceCacheDir('whisper-quantize');
  const build = path.join(dir, 'build');
  const binary = path.join(build, 'bin', 'whisper-quantize');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  say(`building whisper-quantize into ${build} (a few minutes on 2 cores)`);
  run('cmake', [
    '-S', source, '-B', build, '-DCMAKE_BUILD_TYPE=Release', '-DGGML_NATIVE=ON', '-DBUILD_SHARED_LIBS=OFF',
    '-DWHISPER_BUILD_EXAMPLES=ON', '-DWHISPER_BUILD_TESTS=OFF', '-DWHISPER_SDL2=OFF', '-DGGML_OPENMP=ON',
  ]);
  run('cmake', ['--build', build, '--config', 'Release', '-j', '2', '--target', 'whisper-quantize']);
  return binary;
}

/** `<dir>/<stem>-<type>.bin` from an f16 ggml file, quantized once and cached (f16 returns the input itself). */
export function quantizedModel(tool: string, f16Model: string, type: Quantization, dir: string): string {
  if (type === 'f16') return f16Model;
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${path.basename(f16Model, '.bin').replace(/-f16$/, '')}-${type}.bin`);
  if (existsSync(out)) return out;
  say(`quantizing ${path.basename(f16Model)} → ${type}`);
  // Written beside and renamed: an interrupted run never leaves a truncated model that a later run would trust.
  run(tool, [f16Model, `${out}.partial`, type]);
  renameSync(`${out}.partial`, out);
  return out;
}
