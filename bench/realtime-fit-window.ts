// Which turns may a realtime final decode with the encoder fitted to the turn (audio_ctx) instead of Whisper's full
// 30 s window? Short single prompts of the eval set (en/short: one Asterisk prompt each, 1.5–9 s) go through the
// compiled whisper-worker (the engine's own binary and protocol, real tiny.en, 2 threads, greedy, no temperature
// fallback so both windows get the same single pass) once per encoder window:
//   full        the 30 s window (1500 frames)
//   fitted      fittedAudioCtx(): the clip plus 1 s, at least 384 frames (what REALTIME_FIT_* runs)
//   fitted≥N    the same, at least N frames
// A fitted decode whose text repeats itself is decoded again with the full window, as the engine does
// (fitted-decode-looped.ts). WER per duration bucket and per window, with the mean decode time (wall, machine load
// printed) and how many fitted decodes looped; judged by: the shortest turn length from which fitted finals stay
// within 0.5 WER points of the full window (that is REALTIME_FIT_FINAL_MIN_SECONDS).
// Run: node scripts/run-ts.mjs bench/realtime-fit-window.ts [--clips 200] [--max-seconds 6] [--min-frames 768,1024]
//   (under `flock /tmp/bench.lock`, re-starting itself so when it isn't)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { evalSet, realModel, realModels, scoreTranscripts } from '@speech/test-support';
import { fittedAudioCtx } from '../apps/api/src/engines/local/fitted-audio-ctx';
import { repeatsItself } from '../apps/api/src/engines/local/repeats-itself';
import { ensureNativeBuild } from '../apps/api/src/engines/local/native-build';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const CLIPS = Number(arg('clips', '200'));
const MAX_SECONDS = Number(arg('max-seconds', '6'));
const MIN_FRAMES = arg('min-frames', '768,1024').split(',').filter(Boolean).map(Number);
/** Duration buckets (upper bounds, seconds) the WER is reported in. */
const BUCKETS = [2, 2.5, 3, 4, 6, 9];

interface Window {
  readonly name: string;
  /** audio_ctx for a clip of this length; 0 = the full window. */
  readonly frames: (seconds: number) => number;
}

const WINDOWS: Window[] = [
  { name: 'full', frames: () => 0 },
  { name: 'fitted', frames: fittedAudioCtx },
  ...MIN_FRAMES.map((min) => ({ name: `fitted≥${min}`, frames: (seconds: number) => Math.max(fittedAudioCtx(seconds), min) })),
];

/** The worker binary over stdin/stdout, one job at a time. */
class Worker {
  private readonly child;
  private readonly waiting = new Map<string, (line: Record<string, unknown>) => void>();
  private ready!: () => void;
  readonly started = new Promise<void>((resolve) => (this.ready = resolve));
  private next = 0;

  constructor(binary: string, model: string) {
    this.child = spawn(binary, ['--model', model, '--threads', '2', '--parallel', '1'], { stdio: ['pipe', 'pipe', 'ignore'] });
    createInterface({ input: this.child.stdout }).on('line', (raw) => {
      const line = JSON.parse(raw) as Record<string, unknown>;
      if (line['event'] === 'ready') this.ready();
      if (line['event'] === 'result' || line['event'] === 'error') this.waiting.get(String(line['id']))?.(line);
    });
  }

  async transcribe(pcm: string, audioCtx: number): Promise<{ text: string; ms: number }> {
    const id = `b${this.next++}`;
    const t0 = performance.now();
    const line = await new Promise<Record<string, unknown>>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(
        `${JSON.stringify({ op: 'transcribe', id, pcm, language: 'en', translate: false, prompt: '', temperature: 0, temperature_inc: 0, beam_size: 0, word_timestamps: false, threads: 2, ...(audioCtx ? { audio_ctx: audioCtx } : {}) })}\n`,
      );
    });
    if (line['event'] === 'error') throw new Error(`worker: ${JSON.stringify(line)}`);
    const segments = line['segments'] as Array<{ text: string }>;
    return { text: segments.map((s) => s.text).join('').trim(), ms: performance.now() - t0 };
  }

  stop(): void {
    this.child.stdin.end();
  }
}

async function main(): Promise<void> {
  const clips = evalSet('en').sets.short.filter((clip) => clip.duration <= MAX_SECONDS).slice(0, CLIPS);
  const model = realModel(realModels(), 'tiny.en', 'ggml');
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const binary = (await ensureNativeBuild('native', quiet)).binaries['whisper-worker'];
  const dir = mkdtempSync(join(tmpdir(), 'fit-window-'));
  const worker = new Worker(binary, model);
  await worker.started;
  console.log(`tiny.en (${model}), whisper-worker, 2 threads, greedy, no fallback; ${clips.length} clips of en/short ≤ ${MAX_SECONDS} s; load before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const items: Array<{ key: string; reference: string; hypothesis: string }> = [];
  const timing = new Map<string, number[]>();
  const loops = new Map<string, number>();
  try {
    for (const [n, clip] of clips.entries()) {
      const pcm = join(dir, `${n}.f32`);
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clip.audio, '-f', 'f32le', '-ar', '16000', '-ac', '1', pcm]);
      const bucket = BUCKETS.find((upper) => clip.duration <= upper) ?? Infinity;
      let full: string | undefined;
      for (const window of WINDOWS) {
        const frames = window.frames(clip.duration);
        let { text, ms } = await worker.transcribe(pcm, frames);
        if (frames > 0 && repeatsItself(text, clip.duration)) {
          loops.set(window.name, (loops.get(window.name) ?? 0) + 1);
          full ??= (await worker.transcribe(pcm, 0)).text;
          text = full;
        }
        if (frames === 0) full = text;
        timing.set(`${window.name} ${bucket}`, [...(timing.get(`${window.name} ${bucket}`) ?? []), ms]);
        items.push({ key: `${window.name} ${bucket}`, reference: clip.reference, hypothesis: text });
      }
    }
  } finally {
    worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const scores = scoreTranscripts('en', items);
  console.log(`\n| clip length | clips | ${WINDOWS.map((w) => `${w.name}: WER % / decode ms`).join(' | ')} |`);
  console.log(`|---|---|${WINDOWS.map(() => '---').join('|')}|`);
  for (const bucket of [...BUCKETS, Infinity]) {
    const count = clips.filter((clip) => (BUCKETS.find((upper) => clip.duration <= upper) ?? Infinity) === bucket).length;
    if (count === 0) continue;
    const cells = WINDOWS.map((w) => {
      const key = `${w.name} ${bucket}`;
      const ms = timing.get(key) ?? [];
      return `${scores[key]!.wer.toFixed(1)} / ${Math.round(ms.reduce((a, b) => a + b, 0) / ms.length)}`;
    });
    const lower = BUCKETS[BUCKETS.indexOf(bucket) - 1] ?? 0;
    console.log(`| ${lower}–${bucket} s | ${count} | ${cells.join(' | ')} |`);
  }
  console.log(`\nfitted decodes that looped (redone with the full window): ${WINDOWS.slice(1).map((w) => `${w.name} ${loops.get(w.name) ?? 0}`).join(', ')}; load after: ${loadavg()[0]!.toFixed(1)}`);
}

if (process.env['BENCH_LOCK_HELD'] !== '1') {
  const locked = spawnSync('flock', ['/tmp/bench.lock', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_LOCK_HELD: '1' } });
  process.exit(locked.status ?? 1);
} else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
