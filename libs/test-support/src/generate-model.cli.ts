/**
 * Writes a random-weight whisper.cpp model (real architecture, garbage output) for tests and benchmarks.
 *   node scripts/run-ts.mjs libs/test-support/src/generate-model.cli.ts --preset base [--out FILE] [--seed N] [--f32]
 * Without --out the model lands in the shared cache (.cache/models) and its path is printed.
 */
import { cachedWhisperModel, generateWhisperModel } from './lib/generate-whisper-model';
import { MODEL_PRESETS, type ModelPreset } from './lib/whisper-model-format';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const preset = (argValue('--preset') ?? 'tiny-test') as ModelPreset;
  if (!(preset in MODEL_PRESETS)) {
    throw new Error(`unknown preset '${preset}'; choose one of ${Object.keys(MODEL_PRESETS).join(', ')}`);
  }
  const seed = Number(argValue('--seed') ?? 0);
  const f16 = !process.argv.includes('--f32');
  const out = argValue('--out');
  const started = Date.now();
  if (out) {
    const model = await generateWhisperModel({ dims: MODEL_PRESETS[preset], out, seed, f16 });
    process.stderr.write(`wrote ${model.bytes} bytes, ${model.tensors} tensors, ${model.parameters} parameters\n`);
    process.stdout.write(`${model.path}\n`);
  } else {
    process.stdout.write(`${await cachedWhisperModel(preset, { seed, f16 })}\n`);
  }
  process.stderr.write(`${preset} ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
