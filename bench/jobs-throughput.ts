// Async job throughput: audio hours transcribed per wall-clock hour by the built API's job worker pool,
// with JOB_WORKERS (and ENGINE_CONCURRENCY, so each worker has an engine slot) at 1 and at 2, on this machine.
// Each run submits JOBS jobs of MINUTES minutes of speech at once and times until the last one succeeds.
// Judged by: the throughput at 1 and 2 workers, and their ratio (how much a second worker adds on these cores).
// Run: node scripts/run-ts.mjs bench/jobs-throughput.ts          (needs a built API: npx nx build api)
//   env: MODEL=tiny-test|tiny|fast (default tiny-test; fast = the 1+1-layer model of the long-audio test)
//        JOBS=4 MINUTES=3 POOLS=1,2 WINDOW_SECONDS=300
//        REPEAT=2 (runs the pools alternately REPEAT times and keeps each pool's best: other tenants of a shared
//        machine only ever slow a run down)
//        THREADS_PER_JOB=1 (default: the engine splits the cores between its slots; whisper.cpp threads spin-wait,
//        so on a machine busy with other work 1 thread per job can beat 2)
import { cpus, loadavg } from 'node:os';
import { cachedWhisperModel, type ModelPreset, speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from '../apps/api/test/e2e/support/api-process';
import { fastJobsModel, loopedRecording } from '../apps/api/test/e2e/support/job-fixtures';
import { createJob, getJob, isEnded, waitForJob } from '../apps/api/test/e2e/support/jobs-client';

const MODEL = process.env['MODEL'] ?? 'tiny-test';
const JOBS = Number(process.env['JOBS'] ?? 4);
const MINUTES = Number(process.env['MINUTES'] ?? 3);
const POOLS = (process.env['POOLS'] ?? '1,2').split(',').map(Number);
const WINDOW_SECONDS = process.env['WINDOW_SECONDS'] ?? '300';
const THREADS_PER_JOB = process.env['THREADS_PER_JOB'];
const REPEAT = Number(process.env['REPEAT'] ?? 1);

interface RunResult {
  readonly pool: number;
  readonly wallSeconds: number;
  readonly audioSeconds: number;
  readonly peakRssMiB: number;
}

async function modelPath(): Promise<string> {
  return MODEL === 'fast' ? fastJobsModel() : cachedWhisperModel(MODEL as ModelPreset);
}

async function run(pool: number, model: string, recording: string): Promise<RunResult> {
  const api = await startApi({
    WHISPER_MODEL: model,
    JOB_WORKERS: String(pool),
    ENGINE_CONCURRENCY: String(pool),
    WINDOW_SECONDS,
    JOB_POLL_MS: '100',
    LOG_LEVEL: 'warn',
    ...(THREADS_PER_JOB ? { WHISPER_THREADS: String(pool * Number(THREADS_PER_JOB)) } : {}),
  });
  try {
    await warmUp(api);
    const started = process.hrtime.bigint();
    const accepted = await Promise.all(Array.from({ length: JOBS }, () => createJob(api.url, recording, { language: 'en' })));
    const ended = await Promise.all(accepted.map((job) => waitForJob(api.url, job.id, isEnded, 3_600_000, 250)));
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const failed = ended.filter((job) => job.status !== 'succeeded');
    if (failed.length > 0) throw new Error(`jobs failed: ${JSON.stringify(failed.map((job) => job.error))}`);
    const audioSeconds = ended.reduce((sum, job) => sum + (job.audio.duration_seconds ?? 0), 0);
    return { pool, wallSeconds, audioSeconds, peakRssMiB: api.memory().peakRssMiB };
  } finally {
    await api.stop();
  }
}

/** One short job first, so model loading and page-cache misses are not timed. */
async function warmUp(api: ApiProcess): Promise<void> {
  const clip = speechFixture('Warming up the job workers.');
  const job = await createJob(api.url, clip.wav);
  await waitForJob(api.url, job.id, isEnded, 120_000);
  if ((await getJob(api.url, job.id)).status !== 'succeeded') throw new Error('warm-up job failed');
}

async function main(): Promise<void> {
  const model = await modelPath();
  const recording = loopedRecording(MINUTES);
  console.log(
    `model: ${MODEL} (${model}); ${JOBS} jobs × ${MINUTES} min; windows ${WINDOW_SECONDS} s; ${cpus().length} cores; ` +
      `pools ${POOLS.join(', ')}; threads per job ${THREADS_PER_JOB ?? `cores / pool`}; load average ${loadavg()[0]?.toFixed(1)}`,
  );
  const best = new Map<number, RunResult>();
  for (let round = 0; round < REPEAT; round += 1) {
    for (const pool of POOLS) {
      const result = await run(pool, model, recording);
      console.log(`pool ${pool}: ${(result.audioSeconds / 60).toFixed(1)} audio min in ${result.wallSeconds.toFixed(1)} s (load ${loadavg()[0]?.toFixed(1)})`);
      const previous = best.get(pool);
      if (!previous || result.wallSeconds < previous.wallSeconds) best.set(pool, result);
    }
  }
  const results = POOLS.map((pool) => best.get(pool) as RunResult);
  console.log('\n| JOB_WORKERS | audio min | wall s | audio hours per hour | API peak RSS MiB |\n|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.pool} | ${(r.audioSeconds / 60).toFixed(1)} | ${r.wallSeconds.toFixed(1)} | ${(r.audioSeconds / r.wallSeconds).toFixed(1)} | ${r.peakRssMiB.toFixed(0)} |`);
  }
  const [one, two] = [results.find((r) => r.pool === 1), results.find((r) => r.pool === 2)];
  if (one && two) {
    const ratio = two.audioSeconds / two.wallSeconds / (one.audioSeconds / one.wallSeconds);
    console.log(`ratio throughput pool 2 / pool 1: ${ratio.toFixed(2)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
