import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { Writable } from 'node:stream';

import { SeededNormal, toFloat16 } from './seeded-random';
import { workspaceCacheDir } from './workspace';
import {
  DIM_ORDER, GGML_MAGIC, MEL_FFT_BINS, MODEL_PRESETS, melFilterbank, tensorSpecs, validateDims, vocabulary,
  type ModelPreset, type WhisperDims,
} from './whisper-model-format';

export interface GenerateModelOptions {
  dims: WhisperDims;
  /** Output file; written through `<out>.partial` and renamed, so a crash never leaves a half model behind. */
  out: string;
  seed?: number;
  /** Store matrices as f16 (ftype 1, like the published ggml models). Default true. */
  f16?: boolean;
  /** Standard deviation of the random weights. */
  std?: number;
  /** Tokens written to the vocabulary section (real multilingual files carry 50257; the loader adds the specials). */
  nTokens?: number;
}

export interface GeneratedModel {
  path: string;
  bytes: number;
  tensors: number;
  parameters: number;
}

const CHUNK = 1 << 20; // elements per write: bounds memory for the 130 MB token embedding of large models

async function write(stream: Writable, data: Buffer | Uint8Array): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

function int32s(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeInt32LE(v, 4 * i));
  return b;
}

function bytesOf(a: Float32Array | Uint16Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes a random-weight whisper.cpp model (legacy ggml format) of any dimensions, streaming to disk. */
export async function generateWhisperModel(options: GenerateModelOptions): Promise<GeneratedModel> {
  const { dims, out, seed = 0, f16 = true, std = 0.02 } = options;
  validateDims(dims);
  const nTokens = Math.min(options.nTokens ?? 50257, dims.n_vocab);
  mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.partial`;
  const stream = createWriteStream(partial);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  const rng = new SeededNormal(seed);
  let tensors = 0;
  let parameters = 0;

  const body = async () => {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(GGML_MAGIC);
    await write(stream, header);
    await write(stream, int32s(...DIM_ORDER.map((k) => dims[k]), f16 ? 1 : 0));
    await write(stream, int32s(dims.n_mels, MEL_FFT_BINS));
    await write(stream, bytesOf(melFilterbank(dims.n_mels)));
    await write(stream, int32s(nTokens));
    // One buffer for the ~50k tokens (~400 KB): fifty thousand tiny awaited writes cost seconds.
    await write(stream, Buffer.concat(vocabulary(nTokens).flatMap((token) => [int32s(token.length), token])));
    for (const spec of tensorSpecs(dims)) {
      const half = f16 && spec.matrix;
      const name = Buffer.from(spec.name, 'ascii');
      await write(stream, Buffer.concat([int32s(spec.ne.length, name.length, half ? 1 : 0), int32s(...spec.ne), name]));
      const count = spec.ne.reduce((a, b) => a * b, 1);
      for (let done = 0; done < count; done += CHUNK) {
        const chunk = new Float32Array(Math.min(CHUNK, count - done));
        if (spec.init === 'normal') rng.fill(chunk, std);
        else if (spec.init === 'ones') chunk.fill(1);
        await write(stream, bytesOf(half ? toFloat16(chunk) : chunk));
      }
      tensors++;
      parameters += count;
    }
    stream.end();
    await once(stream, 'close');
  };
  try {
    await Promise.race([body(), failed]);
  } catch (error) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, out);
  return { path: out, bytes: statSync(out).size, tensors, parameters };
}

export interface CachedModelOptions {
  seed?: number;
  f16?: boolean;
  /** Defaults to `<workspace>/.cache/models`. */
  cacheDir?: string;
}

/** Path of a generated preset model, generating it once per (preset, seed, precision). */
export async function cachedWhisperModel(preset: ModelPreset, options: CachedModelOptions = {}): Promise<string> {
  const { seed = 0, f16 = true } = options;
  const dir = options.cacheDir ?? workspaceCacheDir('models');
  const file = path.join(dir, `random-${preset}-seed${seed}-${f16 ? 'f16' : 'f32'}.bin`);
  if (!existsSync(file)) {
    // Parallel test workers may race here; each writes its own .partial and the rename is atomic.
    const out = `${file}.${process.pid}`;
    await generateWhisperModel({ dims: MODEL_PRESETS[preset], out, seed, f16 });
    renameSync(out, file);
  }
  return file;
}
