import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { cachedWhisperModel, generateWhisperModel } from './generate-whisper-model';
import { DIM_ORDER, MODEL_PRESETS, tensorSpecs, type WhisperDims } from './whisper-model-format';

// Small enough to write in milliseconds, large enough to cover every tensor kind.
const dims: WhisperDims = {
  ...MODEL_PRESETS['tiny-test'],
  n_audio_state: 16, n_text_state: 16, n_audio_head: 2, n_text_head: 2, n_audio_layer: 1, n_text_layer: 2,
};

/** Reads a legacy ggml whisper file back, independently of the writer. */
function parse(file: string) {
  const b = readFileSync(file);
  let o = 0;
  const i32 = () => ((o += 4), b.readInt32LE(o - 4));
  const magic = b.readUInt32LE(0);
  o = 4;
  const hparams = DIM_ORDER.map(() => i32());
  const ftype = i32();
  const [nMel, nFft] = [i32(), i32()];
  o += nMel * nFft * 4;
  const nTokens = i32();
  const tokens: Buffer[] = [];
  for (let i = 0; i < nTokens; i++) {
    const len = i32();
    tokens.push(b.subarray(o, o + len));
    o += len;
  }
  const tensors: { name: string; ne: number[]; type: number; data: Buffer }[] = [];
  while (o < b.length) {
    const [nDims, nameLen, type] = [i32(), i32(), i32()];
    const ne = Array.from({ length: nDims }, () => i32());
    const name = b.subarray(o, o + nameLen).toString('ascii');
    o += nameLen;
    const bytes = ne.reduce((x, y) => x * y, 1) * (type === 1 ? 2 : 4);
    tensors.push({ name, ne, type, data: b.subarray(o, o + bytes) });
    o += bytes;
  }
  return { magic, hparams, ftype, nMel, nFft, tokens, tensors, end: o, size: b.length };
}

// Writing a model is quick alone (< 1 s) but shares two cores with the other suites.
jest.setTimeout(30_000);

describe('generateWhisperModel', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'gen-model-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the legacy ggml layout whisper.cpp reads, with f16 matrices and f32 vectors', async () => {
    const out = path.join(dir, 'm.bin');
    const model = await generateWhisperModel({ dims, out, seed: 1 });
    const parsed = parse(out);
    expect(parsed.magic).toBe(0x67676d6c);
    expect(parsed.hparams).toEqual(DIM_ORDER.map((k) => dims[k]));
    expect(parsed.ftype).toBe(1);
    expect([parsed.nMel, parsed.nFft]).toEqual([80, 201]);
    expect(parsed.tokens).toHaveLength(50257);
    expect(parsed.tokens[220].toString()).toBe(' '); // whisper.cpp throws without it
    expect(parsed.end).toBe(parsed.size);
    const specs = tensorSpecs(dims);
    expect(parsed.tensors.map((t) => [t.name, t.ne, t.type])).toEqual(specs.map((s) => [s.name, s.ne, s.matrix ? 1 : 0]));
    expect(model).toMatchObject({ path: out, bytes: statSync(out).size, tensors: specs.length });
  });

  it('initialises layer norms to one, biases to zero and weights randomly', async () => {
    const out = path.join(dir, 'f32.bin');
    await generateWhisperModel({ dims, out, seed: 2, f16: false });
    const byName = new Map(parse(out).tensors.map((t) => [t.name, t]));
    const floats = (name: string) => {
      const t = byName.get(name);
      if (!t) throw new Error(`missing ${name}`);
      return new Float32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.length));
    };
    expect(floats('decoder.ln.weight').every((v) => v === 1)).toBe(true);
    expect(floats('encoder.blocks.0.attn.query.bias').every((v) => v === 0)).toBe(true);
    const w = floats('decoder.token_embedding.weight');
    const std = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
    expect(std).toBeCloseTo(0.02, 3);
  });

  it('is deterministic per seed', async () => {
    const digest = async (seed: number, name: string) => {
      const out = path.join(dir, name);
      await generateWhisperModel({ dims, out, seed });
      return createHash('sha1').update(readFileSync(out)).digest('hex');
    };
    expect(await digest(5, 'a.bin')).toBe(await digest(5, 'b.bin'));
    expect(await digest(5, 'a.bin')).not.toBe(await digest(6, 'c.bin'));
  });

  it('rejects dimensions whisper.cpp cannot load', async () => {
    await expect(generateWhisperModel({ dims: { ...dims, n_text_state: 32 }, out: path.join(dir, 'x.bin') })).rejects.toThrow(
      /n_audio_state == n_text_state/,
    );
    await expect(generateWhisperModel({ dims: { ...dims, n_vocab: 1000 }, out: path.join(dir, 'x.bin') })).rejects.toThrow(/51865/);
  });

  it('caches presets by name and seed', async () => {
    const first = await cachedWhisperModel('tiny-test', { cacheDir: dir, seed: 3 });
    const mtime = statSync(first).mtimeMs;
    expect(path.basename(first)).toBe('random-tiny-test-seed3-f16.bin');
    expect(statSync(first).size).toBeGreaterThan(8_000_000); // the ~9 MB preset
    expect(await cachedWhisperModel('tiny-test', { cacheDir: dir, seed: 3 })).toBe(first);
    expect(statSync(first).mtimeMs).toBe(mtime);
  });
});
