/**
 * The legacy ggml layout that whisper.cpp's loader reads (magic 0x67676d6c, little-endian): hyper-parameters,
 * mel filterbank, vocabulary, then tensors until EOF. Only what a random-weight model of the real
 * architecture needs; see generate-whisper-model.ts for the writer.
 */
export const GGML_MAGIC = 0x67676d6c;
/** 1 + n_fft/2 with whisper's n_fft = 400; whisper.cpp asserts it. */
export const MEL_FFT_BINS = 201;
const SAMPLE_RATE = 16000;

export interface WhisperDims {
  n_vocab: number;
  n_audio_ctx: number;
  n_audio_state: number;
  n_audio_head: number;
  n_audio_layer: number;
  n_text_ctx: number;
  n_text_state: number;
  n_text_head: number;
  n_text_layer: number;
  n_mels: number;
}

/** Order of the int32 hyper-parameters in the header (ftype follows them). */
export const DIM_ORDER: readonly (keyof WhisperDims)[] = [
  'n_vocab', 'n_audio_ctx', 'n_audio_state', 'n_audio_head', 'n_audio_layer',
  'n_text_ctx', 'n_text_state', 'n_text_head', 'n_text_layer', 'n_mels',
];

// n_vocab stays >= 51865: whisper.cpp hard-codes special token ids (sot 50258, timestamps from 50364, …)
// that index the token embedding, so a smaller vocabulary crashes the decoder.
const MULTILINGUAL = { n_vocab: 51865, n_audio_ctx: 1500, n_text_ctx: 448, n_mels: 80 };

export const MODEL_PRESETS = {
  /** Not a real Whisper size: the smallest model that still runs every code path (~9 MB in f16). */
  'tiny-test': { ...MULTILINGUAL, n_audio_state: 64, n_audio_head: 4, n_audio_layer: 4, n_text_state: 64, n_text_head: 4, n_text_layer: 4 },
  tiny: { ...MULTILINGUAL, n_audio_state: 384, n_audio_head: 6, n_audio_layer: 4, n_text_state: 384, n_text_head: 6, n_text_layer: 4 },
  base: { ...MULTILINGUAL, n_audio_state: 512, n_audio_head: 8, n_audio_layer: 6, n_text_state: 512, n_text_head: 8, n_text_layer: 6 },
  'large-v3-turbo': {
    ...MULTILINGUAL, n_vocab: 51866, n_mels: 128,
    n_audio_state: 1280, n_audio_head: 20, n_audio_layer: 32, n_text_state: 1280, n_text_head: 20, n_text_layer: 4,
  },
} satisfies Record<string, WhisperDims>;

export type ModelPreset = keyof typeof MODEL_PRESETS;

export interface TensorSpec {
  name: string;
  /** ggml order: innermost dimension first. */
  ne: number[];
  /** Matrices and convolutions are stored f16 in an f16 model; vectors always f32 (as whisper.cpp expects). */
  matrix: boolean;
  init: 'normal' | 'ones' | 'zeros';
}

function initFor(name: string): TensorSpec['init'] {
  if (name.endsWith('.bias')) return 'zeros';
  if (/(_ln|ln_post|decoder\.ln)\.weight$/.test(name)) return 'ones';
  return 'normal';
}

function blockTensors(prefix: string, n: number, crossAttention: boolean): Omit<TensorSpec, 'init'>[] {
  const out: Omit<TensorSpec, 'init'>[] = [];
  for (const attn of crossAttention ? ['attn', 'cross_attn'] : ['attn']) {
    const p = `${prefix}.${attn}`;
    out.push(
      { name: `${p}.query.weight`, ne: [n, n], matrix: true },
      { name: `${p}.query.bias`, ne: [n], matrix: false },
      { name: `${p}.key.weight`, ne: [n, n], matrix: true }, // the key projection has no bias in Whisper
      { name: `${p}.value.weight`, ne: [n, n], matrix: true },
      { name: `${p}.value.bias`, ne: [n], matrix: false },
      { name: `${p}.out.weight`, ne: [n, n], matrix: true },
      { name: `${p}.out.bias`, ne: [n], matrix: false },
      { name: `${p}_ln.weight`, ne: [n], matrix: false },
      { name: `${p}_ln.bias`, ne: [n], matrix: false },
    );
  }
  out.push(
    { name: `${prefix}.mlp.0.weight`, ne: [n, 4 * n], matrix: true },
    { name: `${prefix}.mlp.0.bias`, ne: [4 * n], matrix: false },
    { name: `${prefix}.mlp.2.weight`, ne: [4 * n, n], matrix: true },
    { name: `${prefix}.mlp.2.bias`, ne: [n], matrix: false },
    { name: `${prefix}.mlp_ln.weight`, ne: [n], matrix: false },
    { name: `${prefix}.mlp_ln.bias`, ne: [n], matrix: false },
  );
  return out;
}

/** Every tensor whisper.cpp's loader requires, in the order the PyTorch checkpoint lists them. */
export function tensorSpecs(d: WhisperDims): TensorSpec[] {
  const a = d.n_audio_state;
  const t = d.n_text_state;
  const specs: Omit<TensorSpec, 'init'>[] = [
    { name: 'encoder.positional_embedding', ne: [a, d.n_audio_ctx], matrix: false },
    // conv biases are stored as [1, n] and broadcast by the loader
    { name: 'encoder.conv1.weight', ne: [3, d.n_mels, a], matrix: true },
    { name: 'encoder.conv1.bias', ne: [1, a], matrix: false },
    { name: 'encoder.conv2.weight', ne: [3, a, a], matrix: true },
    { name: 'encoder.conv2.bias', ne: [1, a], matrix: false },
  ];
  for (let i = 0; i < d.n_audio_layer; i++) specs.push(...blockTensors(`encoder.blocks.${i}`, a, false));
  specs.push(
    { name: 'encoder.ln_post.weight', ne: [a], matrix: false },
    { name: 'encoder.ln_post.bias', ne: [a], matrix: false },
    { name: 'decoder.positional_embedding', ne: [t, d.n_text_ctx], matrix: false },
    { name: 'decoder.token_embedding.weight', ne: [t, d.n_vocab], matrix: true },
  );
  for (let i = 0; i < d.n_text_layer; i++) specs.push(...blockTensors(`decoder.blocks.${i}`, t, true));
  specs.push(
    { name: 'decoder.ln.weight', ne: [t], matrix: false },
    { name: 'decoder.ln.bias', ne: [t], matrix: false },
  );
  return specs.map((s) => ({ ...s, init: initFor(s.name) }));
}

export function validateDims(d: WhisperDims): void {
  if (d.n_audio_state !== d.n_text_state) throw new Error('whisper.cpp requires n_audio_state == n_text_state');
  if (d.n_vocab < 51865) throw new Error('n_vocab must be >= 51865 (whisper.cpp hard-codes special token ids)');
  if (d.n_audio_state % d.n_audio_head !== 0 || d.n_text_state % d.n_text_head !== 0) {
    throw new Error('state width must be a multiple of the head count');
  }
  for (const k of DIM_ORDER) {
    if (!Number.isInteger(d[k]) || d[k] < 1) throw new Error(`${k} must be a positive integer`);
  }
}

/** Slaney-normalised mel filterbank (librosa's default), n_mels x 201, row-major. */
export function melFilterbank(nMels: number): Float32Array {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  const hzToMel = (f: number) => (f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logStep : f / fSp);
  const melToHz = (m: number) => (m >= minLogMel ? minLogHz * Math.exp(logStep * (m - minLogMel)) : fSp * m);

  const maxMel = hzToMel(SAMPLE_RATE / 2);
  const points = Array.from({ length: nMels + 2 }, (_, i) => melToHz((maxMel * i) / (nMels + 1)));
  const out = new Float32Array(nMels * MEL_FFT_BINS);
  for (let m = 0; m < nMels; m++) {
    const [lo, mid, hi] = [points[m], points[m + 1], points[m + 2]];
    const norm = 2 / (hi - lo);
    for (let k = 0; k < MEL_FFT_BINS; k++) {
      const f = (k * SAMPLE_RATE) / 2 / (MEL_FFT_BINS - 1);
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      out[m * MEL_FFT_BINS + k] = w * norm;
    }
  }
  return out;
}

/**
 * Vocabulary bytes. Ids 0..255 are the single-byte tokens in GPT-2/tiktoken order, which puts " " at id 220:
 * whisper.cpp looks that token up when suppressing blanks and throws if it is missing. Higher ids are
 * readable fake words.
 */
export function vocabulary(count: number): Buffer[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const rest = Array.from({ length: 256 }, (_, b) => b).filter((b) => !printable.includes(b));
  const bytes = [...printable, ...rest];
  return Array.from({ length: count }, (_, i) => (i < 256 ? Buffer.from([bytes[i]]) : Buffer.from(` w${i}`, 'ascii')));
}
