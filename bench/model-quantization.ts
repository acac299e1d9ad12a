/**
 * Which weight type should a laptop run large-v3-turbo in? (issue 18, point 5)
 *   flock /tmp/bench.lock node scripts/run-ts.mjs bench/model-quantization.ts [--threads 2] [--runs 2]
 *       [--seconds 300] [--models tiny.en,base] [--skip-speed] [--skip-accuracy] [--cache DIR]
 * (a) speed and memory: large-v3-turbo of the real dimensions (32-layer 1280-wide encoder, 4-layer decoder,
 *     128 mels) with random weights, generated in f16 and quantized to q8_0 and q5_0 by whisper.cpp's own
 *     whisper-quantize; whisper-cli on the JFK sample (one 30 s encoder window): encode time, decode time per
 *     token, wall time and peak RSS (/usr/bin/time). No real large-v3-turbo weights are available offline, and
 *     speed does not depend on the weights' values.
 * (b) accuracy: the real models from `npm run models:real` (ggml), quantized the same way, through whisper-cli on
 *     the first --seconds of the English evaluation set's ~30 s clips (bench/accuracy/build_eval_set.py), greedy, no fallback:
 *     WER (Whisper-normalized) and real-time factor per model and weight type.
 * Prints both tables with ratios to f16. Published figures for large models are in bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import {
  evalSet, firstSeconds, generateWhisperModel, MODEL_PRESETS, realModel, realModels, scoreTranscripts, workspaceCacheDir, workspaceRoot,
  type ScoreItem,
} from '@speech/test-support';

import { transcribeWhisperCli } from '../apps/api/test/e2e/support/real-speech';
import { ensureNativeBuild } from '../apps/api/src/engines/local/native-build';
import { ensureQuantizeTool, QUANTIZATIONS, quantizedModel, type Quantization } from './quantization/quantize-tool';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
};
const threads = Number(arg('--threads', '2'));
const runs = Number(arg('--runs', '2'));
const seconds = Number(arg('--seconds', '300'));
const accuracyModels = arg('--models', 'tiny.en,base').split(',');
const cacheDir = arg('--cache', '') || workspaceCacheDir('models');
const say = (m: string) => process.stderr.write(`${m}\n`);
const quiet = { log: () => undefined, warn: () => undefined, error: say };
const JFK = path.join(workspaceRoot(), 'node_modules/nodejs-whisper/cpp/whisper.cpp/bindings/go/samples/jfk.wav');
const MB = 1024 * 1024;

interface SpeedRow {
  type: Quantization;
  fileMb: number;
  encodeMs: number;
  decodeMsPerToken: number;
  tokens: number;
  wallMs: number;
  peakRssMb: number;
}

/** One whisper-cli run: its own timings (whisper_print_timings on stderr) and GNU time's peak RSS. */
function timeCli(cli: string, model: string, type: Quantization): SpeedRow {
  const args = ['-f', 'PEAK_RSS_KB=%M', cli, '-m', model, '-f', JFK, '-t', String(threads), '-l', 'en', '-nf', '-mc', '0', '-bs', '1', '-bo', '1', '-nt'];
  const started = performance.now();
  const done = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (done.status !== 0) throw new Error(`whisper-cli ${type} failed (${done.status}): ${done.stderr.slice(-2000)}`);
  const timing = (name: string) => new RegExp(`${name} time =\\s*([\\d.]+) ms /\\s*(\\d+) runs`).exec(done.stderr);
  const encode = timing('encode');
  const decode = timing('decode');
  const rss = /PEAK_RSS_KB=(\d+)/.exec(done.stderr);
  if (!encode || !decode || !rss) throw new Error(`no timings in whisper-cli's output: ${done.stderr.slice(-1500)}`);
  const tokens = Number(decode[2]);
  return {
    type,
    fileMb: statSync(model).size / MB,
    encodeMs: Number(encode[1]),
    decodeMsPerToken: tokens > 0 ? Number(decode[1]) / tokens : 0,
    tokens,
    wallMs,
    peakRssMb: Number(rss[1]) / 1024,
  };
}

/**
 * Rounds interleave the types (f16, q8_0, q5_0, f16, …) so a burst of load from other processes on a shared machine
 * hits every type alike; each type keeps its fastest run, the one least disturbed.
 */
function timeAll(cli: string, models: ReadonlyMap<Quantization, string>): SpeedRow[] {
  const best = new Map<Quantization, SpeedRow>();
  for (let round = 1; round <= runs; round += 1) {
    for (const [type, model] of models) {
      say(`  round ${round}/${runs}: large-v3-turbo ${type}`);
      const row = timeCli(cli, model, type);
      const kept = best.get(type);
      if (!kept || row.wallMs < kept.wallMs) best.set(type, row);
    }
  }
  return QUANTIZATIONS.map((type) => best.get(type) as SpeedRow);
}

async function turboF16(): Promise<string> {
  const file = path.join(cacheDir, 'random-large-v3-turbo-seed0-f16.bin');
  if (existsSync(file)) return file;
  say('generating a random-weight large-v3-turbo (f16, ~1.6 GB; a few minutes)');
  await generateWhisperModel({ dims: MODEL_PRESETS['large-v3-turbo'], out: file, seed: 0, f16: true });
  return file;
}

const ratio = (value: number, base: number) => (base > 0 ? `${(value / base).toFixed(2)}x` : '-');
const fixed = (value: number, digits = 0) => value.toFixed(digits);

function printSpeed(rows: SpeedRow[]): void {
  const f16 = rows.find((r) => r.type === 'f16') as SpeedRow;
  console.log(`\n(a) large-v3-turbo dims, random weights, whisper-cli on jfk.wav (one 30 s window), ${threads} threads, fastest of ${runs} interleaved rounds`);
  console.log('type  | file MB | encode ms | ×f16 | decode ms/token | ×f16 | tokens | wall ms | ×f16 | peak RSS MB | ×f16');
  for (const r of rows) {
    console.log(
      [r.type.padEnd(5), fixed(r.fileMb).padStart(7), fixed(r.encodeMs).padStart(9), ratio(r.encodeMs, f16.encodeMs).padStart(4),
        fixed(r.decodeMsPerToken, 1).padStart(15), ratio(r.decodeMsPerToken, f16.decodeMsPerToken).padStart(4), String(r.tokens).padStart(6),
        fixed(r.wallMs).padStart(7), ratio(r.wallMs, f16.wallMs).padStart(4), fixed(r.peakRssMb).padStart(11), ratio(r.peakRssMb, f16.peakRssMb).padStart(4)].join(' | '),
    );
  }
}

function accuracy(cli: string, tool: string): void {
  const items = firstSeconds(evalSet('en').sets.concat, seconds);
  const audioSeconds = items.reduce((sum, item) => sum + item.duration, 0);
  const available = realModels();
  const scored: ScoreItem[] = [];
  const sizes = new Map<string, number>();
  for (const name of accuracyModels) {
    const f16 = realModel(available, name, 'ggml');
    for (const type of QUANTIZATIONS) {
      const model = quantizedModel(tool, f16, type, path.join(cacheDir, 'quantized'));
      sizes.set(`${name}/${type}`, statSync(model).size / MB);
      say(`  ${name} ${type}: ${items.length} clips`);
      for (const item of items) {
        const out = transcribeWhisperCli(cli, model, item.audio, { language: 'en', threads, beam: 1 });
        scored.push({ key: `${name}/${type}`, reference: item.reference, hypothesis: out.text, audio_seconds: item.duration, seconds: out.seconds });
      }
    }
  }
  const scores = scoreTranscripts('en', scored);
  console.log(`\n(b) real weights, English eval set (30 s concatenations of its prompts, ${fixed(audioSeconds)} s of speech), whisper-cli greedy, ${threads} threads`);
  console.log('model/type      | file MB | WER %  | Δ vs f16 (points) | RTF   | ×f16');
  for (const name of accuracyModels) {
    const base = scores[`${name}/f16`];
    for (const type of QUANTIZATIONS) {
      const s = scores[`${name}/${type}`];
      if (!s || !base) continue;
      console.log(
        [`${name}/${type}`.padEnd(15), fixed(sizes.get(`${name}/${type}`) ?? 0).padStart(7), fixed(s.wer, 2).padStart(6),
          `${s.wer - base.wer >= 0 ? '+' : ''}${fixed(s.wer - base.wer, 2)}`.padStart(17), fixed(s.rtf ?? 0, 3).padStart(5), ratio(s.rtf ?? 0, base.rtf ?? 0).padStart(4)].join(' | '),
      );
    }
  }
}

async function main(): Promise<void> {
  const build = await ensureNativeBuild('native', quiet);
  const cli = build.binaries['whisper-cli'];
  const tool = ensureQuantizeTool();
  if (!process.argv.includes('--skip-speed')) {
    const f16 = await turboF16();
    const models = new Map(QUANTIZATIONS.map((type) => [type, quantizedModel(tool, f16, type, path.join(cacheDir, 'quantized'))] as const));
    const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    printSpeed(timeAll(cli, models));
    // Other work on the machine slows every run; the load average says how much to trust the absolute figures.
    console.log(`load average before: ${loadBefore}; after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  }
  if (!process.argv.includes('--skip-accuracy')) accuracy(cli, tool);
}

main().catch((error: unknown) => {
  say(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
