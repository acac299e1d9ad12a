// VAD in the pipeline, end to end: the eval set's ≥ 10 min long-form recording (real prompts with pauses; ~46 % of
// it is pause by the true utterance bounds) through the built API as one job (one window, so the run is the sync
// pipeline without an HTTP timeout on a busy machine), local engine, real whisper tiny.en,
// VAD on (default) vs off (vad=false), run interleaved on/off so both see the same machine load.
// Prints per run and in total: wall seconds, the speed ratio off/on (judged: ≥ 1.4), WER on and off (whisper's
// normalizer, as bench/accuracy; judged: on ≤ off + 0.3 points), and segments that fall inside a pause (judged: 0 with VAD).
// --recording runs: instead, ≥ 10 min of the eval set's short prompts said in runs of 2–5 (0.25–0.6 s apart) with
//   log-normal pauses between the runs, 40 % pause in all (paused-speech.ts speechInRuns, seeded): speech in bursts,
//   where the long recording puts a 0.3–3 s pause after every 1–3 s prompt. How much VAD saves depends on that shape.
// --peer: after our runs, the same recording through faster-whisper (CTranslate2 tiny.en from `npm run models:real`,
//   greedy, the same threads) with vad_filter off and on, interleaved the same way (bench/vad/faster_whisper_vad.py):
//   what the VAD saves in the engine users would pick instead, beside ours.
// Run: npx nx build api && SPEECH_PYTHON=… node scripts/run-ts.mjs bench/vad-pipeline.ts [--rounds 2] [--threads 2]
//        [--recording long|runs] [--peer]
import type { TranscriptionResult } from '@speech/contracts';
import { type EvalItem, evalSet, realModel, realModels, scoreTranscripts, speechPython, workspaceRoot } from '@speech/test-support';
import { execFileSync } from 'node:child_process';
import { startApi } from '../apps/api/test/e2e/support/api-process';
import { createJob, isEnded, waitForJob } from '../apps/api/test/e2e/support/jobs-client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepestPauseOverlap, pausesBetween, type Span, speechInRuns } from '../apps/api/test/e2e/support/paused-speech';
import { sileroWeights } from '@speech/test-support';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? fallback) || fallback;
const ROUNDS = arg('rounds', 2);
const THREADS = arg('threads', 2);
const PEER = process.argv.includes('--peer');
const RECORDING = process.argv.includes('--recording') && process.argv[process.argv.indexOf('--recording') + 1] === 'runs' ? 'runs' : 'long';
/** A segment "falls inside a pause" when it overlaps the true speech by less than this (seconds). */
const IN_PAUSE_SPEECH_SECONDS = 0.1;

/** The recording under test: the eval set's long one, or prompts in runs (--recording runs), as an audio file with its truth. */
function recording(dir: string): { audio: string; duration: number; reference: string; speech: Span[] } {
  if (RECORDING === 'runs') {
    const runs = speechInRuns(evalSet('en').sets.short, dir, { minSeconds: 620, pauseShare: 0.4, seed: 1 });
    return { audio: runs.wav, duration: runs.duration, reference: runs.reference, speech: [...runs.speech] };
  }
  const long = evalSet('en').sets.long[0] as EvalItem;
  return { audio: long.audio, duration: long.duration, reference: long.reference, speech: (long.utterances ?? []).map((u) => ({ start: u.start, end: u.end })) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vad-pipeline-'));
  try {
    await measure(recording(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(long: ReturnType<typeof recording>): Promise<void> {
  const speech = long.speech;
  const pauses = pausesBetween(speech, long.duration);
  const pauseShare = pauses.reduce((sum, p) => sum + p.end - p.start, 0) / long.duration;
  console.log(`recording (${RECORDING}): ${long.audio}, ${long.duration.toFixed(1)} s, ${speech.length} utterances, pauses ${(100 * pauseShare).toFixed(1)} % (true bounds)`);
  const api = await startApi({
    WHISPER_MODEL: realModel(realModels(), 'tiny.en', 'ggml'),
    WHISPER_THREADS: String(THREADS),
    VAD_MODEL_PATH: sileroWeights(),
    JOB_WORKERS: '1',
    WINDOW_SECONDS: '1800',
  });
  const runs: { vad: boolean; seconds: number; result: TranscriptionResult }[] = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate which goes first, so a load change during a round does not always favour the same side.
      for (const vad of round % 2 === 0 ? [true, false] : [false, true]) {
        const started = performance.now();
        const accepted = await createJob(api.url, long.audio, { language: 'en', response_format: 'verbose_json', ...(vad ? {} : { vad: 'false' }) });
        const job = await waitForJob(api.url, accepted.id, isEnded, 60 * 60_000, 250);
        if (job.status !== 'succeeded') throw new Error(`job ended ${job.status}: ${JSON.stringify(job.error)}`);
        const result = (await (await fetch(`${api.url}/api/v1/jobs/${accepted.id}/transcript.json`)).json()) as TranscriptionResult;
        const seconds = (performance.now() - started) / 1000;
        runs.push({ vad, seconds, result });
        console.log(`round ${round + 1} vad=${vad ? 'on ' : 'off'}: ${seconds.toFixed(1)} s wall, ${result.segments.length} segments`);
      }
    }
  } finally {
    await api.stop();
  }
  const side = (vad: boolean) => runs.filter((r) => r.vad === vad);
  const meanSeconds = (vad: boolean) => side(vad).reduce((sum, r) => sum + r.seconds, 0) / side(vad).length;
  const scores = scoreTranscripts(
    'en',
    runs.map((r) => ({ key: r.vad ? 'on' : 'off', reference: long.reference, hypothesis: r.result.text })),
  );
  const inPause = (result: TranscriptionResult) =>
    result.segments.filter((s) => speech.reduce((sum, u) => sum + Math.max(0, Math.min(s.end, u.end) - Math.max(s.start, u.start)), 0) < IN_PAUSE_SPEECH_SECONDS).length;
  const deepest = (result: TranscriptionResult) => Math.max(0, ...result.segments.map((s) => deepestPauseOverlap(s, pauses.filter((p) => p.end - p.start >= 1))));
  const row = (vad: boolean) => {
    const last = side(vad).at(-1) as (typeof runs)[number];
    const score = scores[vad ? 'on' : 'off'];
    return `| ${vad ? 'on (default)' : 'off (vad=false)'} | ${meanSeconds(vad).toFixed(1)} | ${(long.duration / meanSeconds(vad)).toFixed(1)}x | ${score?.wer.toFixed(2)} | ${last.result.segments.length} | ${inPause(last.result)} | ${deepest(last.result).toFixed(2)} |`;
  };
  const ratio = meanSeconds(false) / meanSeconds(true);
  const werDelta = (scores['on']?.wer ?? NaN) - (scores['off']?.wer ?? NaN);
  console.log(`\n${long.duration.toFixed(0)} s recording, tiny.en (ggml, greedy), ${THREADS} engine threads, ${ROUNDS} interleaved rounds; WER over all runs of a side`);
  console.log('| VAD | wall s (mean) | real time | WER % | segments | segments inside a pause | deepest reach into a pause ≥ 1 s (s) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  console.log(row(true));
  console.log(row(false));
  // Which segments fall inside a pause, with the nearest true utterance: tells a mis-timed word from invented text.
  for (const segment of (side(true).at(-1) as (typeof runs)[number]).result.segments.filter((s) => inPause({ ...long, segments: [s] } as unknown as TranscriptionResult) > 0)) {
    const nearest = [...speech].sort((a, b) => Math.abs(a.start - segment.start) - Math.abs(b.start - segment.start))[0];
    const all = (side(true).at(-1) as (typeof runs)[number]).result.segments;
    const at = all.indexOf(segment);
    const show = (s?: TranscriptionResult['segments'][number]) => (s ? `[${s.start.toFixed(2)}, ${s.end.toFixed(2)}] "${s.text.trim()}"` : '-');
    console.log(`  in a pause: ${show(segment)} · nearest utterance [${nearest?.start.toFixed(2)}, ${nearest?.end.toFixed(2)}] · before ${show(all[at - 1])} · after ${show(all[at + 1])}`);
  }
  if (PEER) peer(long, speech);
  console.log(`\nspeed-up with VAD: ${ratio.toFixed(2)}x (target ≥ 1.4) · WER change: ${werDelta >= 0 ? '+' : ''}${werDelta.toFixed(2)} points (target ≤ +0.3) · segments inside a pause with VAD: ${inPause((side(true).at(-1) as (typeof runs)[number]).result)} (target 0)`);
}

/** faster-whisper on the same recording, vad_filter off and on: its speed ratio, WER and segments inside a pause. */
function peer(long: ReturnType<typeof recording>, speech: readonly Span[]): void {
  const request = { audio: long.audio, model: realModel(realModels(), 'tiny.en', 'ct2'), threads: THREADS, rounds: ROUNDS };
  const output = execFileSync(speechPython(), [join(workspaceRoot(), 'bench', 'vad', 'faster_whisper_vad.py')], { input: JSON.stringify(request), maxBuffer: 64 * 1024 * 1024 });
  const runs = (JSON.parse(output.toString()) as { runs: { vad: boolean; seconds: number; text: string; segments: [number, number][] }[] }).runs;
  const side = (vad: boolean) => runs.filter((r) => r.vad === vad);
  const mean = (vad: boolean) => side(vad).reduce((sum, r) => sum + r.seconds, 0) / side(vad).length;
  const scores = scoreTranscripts('en', runs.map((r) => ({ key: r.vad ? 'on' : 'off', reference: long.reference, hypothesis: r.text })));
  const inPause = (segments: [number, number][]) =>
    segments.filter(([start, end]) => speech.reduce((sum, u) => sum + Math.max(0, Math.min(end, u.end) - Math.max(start, u.start)), 0) < IN_PAUSE_SPEECH_SECONDS).length;
  console.log(`\npeer: faster-whisper ${request.model} (CTranslate2, greedy), ${THREADS} threads, vad_filter off and on, ${ROUNDS} interleaved rounds`);
  console.log('| vad_filter | wall s (mean) | real time | WER % | segments | segments inside a pause |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const vad of [true, false]) {
    const last = side(vad).at(-1) as (typeof runs)[number];
    console.log(`| ${vad ? 'on' : 'off'} | ${mean(vad).toFixed(1)} | ${(long.duration / mean(vad)).toFixed(1)}x | ${scores[vad ? 'on' : 'off']?.wer.toFixed(2)} | ${last.segments.length} | ${inPause(last.segments)} |`);
  }
  console.log(`faster-whisper speed-up with vad_filter: ${(mean(false) / mean(true)).toFixed(2)}x`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
