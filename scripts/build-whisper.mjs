#!/usr/bin/env node
// Compiles whisper.cpp + our whisper-worker once per (version, flavour, worker sources, CPU) and caches it.
//   node scripts/build-whisper.mjs            build (or reuse) the flavour named by WHISPER_BUILD (default native)
//   node scripts/build-whisper.mjs --json     same, then print the build manifest as JSON on stdout
//   node scripts/build-whisper.mjs --force    rebuild even when cached
//   WHISPER_BUILD=native|portable|cuda|vulkan
//   WHISPER_CMAKE_ARGS='-DCMAKE_CUDA_ARCHITECTURES=90'   extra cmake flags (part of the cache key)
import { ensureWhisperNative } from './whisper-native.mjs';

const args = new Set(process.argv.slice(2));
const started = Date.now();
try {
  const manifest = await ensureWhisperNative({ force: args.has('--force') });
  if (args.has('--json')) {
    process.stdout.write(`${JSON.stringify(manifest)}\n`);
  } else {
    const took = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`[whisper-native] ${manifest.flavour} build ready (${took} s now; compiled in ${manifest.seconds} s)\n`);
    for (const [name, file] of Object.entries(manifest.binaries)) process.stderr.write(`  ${name}: ${file}\n`);
  }
} catch (error) {
  process.stderr.write(`[whisper-native] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
