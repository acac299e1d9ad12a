import type { Job, TranscriptionResult } from '@speech/contracts';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel, loopedRecording } from './support/job-fixtures';
import { createJob, getJob, isEnded } from './support/jobs-client';

const HOURS = 2;
const WINDOW_SECONDS = 600;
/** The API's resident memory must not grow with the audio: the 2 h of decoded audio alone would be 460 MB. */
const RSS_LIMIT_MIB = 350;

/**
 * A two-hour recording as one job on the built API: cut at silences into 10-minute windows, every window
 * through the engine, merged with exact offsets — with the API's memory sampled the whole time.
 */
describe(`a ${HOURS}-hour recording as a job (built API, generated model)`, () => {
  let api: ApiProcess;
  let recording: string;

  beforeAll(async () => {
    recording = loopedRecording(HOURS * 60);
    api = await startApi({
      WHISPER_MODEL: await fastJobsModel(),
      WINDOW_SECONDS: String(WINDOW_SECONDS),
      JOB_WORKERS: '1',
      // One engine thread: whisper.cpp's threads spin-wait, which costs dearly on a busy two-core CI machine.
      WHISPER_THREADS: '1',
    });
  }, 600_000);

  afterAll(async () => api?.stop());

  it('goes through with bounded memory and timestamps continuous across windows', async () => {
    const started = Date.now();
    // VAD off: this checks the energy splitter's cuts and memory over 2 h; VAD-cut job windows (which may move a
    // cut up to 40 % of a window to reach a real pause) are covered by vad-real-weights.e2e and vad-windows.spec.
    const accepted = await createJob(api.url, recording, { language: 'en', vad: 'false' });
    const rss: number[] = [];
    const samples: Job[] = [];
    let job = accepted as Job;
    while (!isEnded(job)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      rss.push(api.memory().rssMiB);
      job = await getJob(api.url, accepted.id);
      samples.push(job);
    }
    const seconds = (Date.now() - started) / 1000;
    const peak = api.memory().peakRssMiB;
    // The figures the issue asks for, printed for the record.
    console.log(
      `${HOURS} h job: ${seconds.toFixed(1)} s wall, ${((HOURS * 3600) / seconds).toFixed(1)}x real time; ` +
        `API RSS max sampled ${Math.max(...rss).toFixed(0)} MiB, peak (VmHWM) ${peak.toFixed(0)} MiB`,
    );
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1, windows: { total: 12, done: 12 } });
    expect(peak).toBeLessThan(RSS_LIMIT_MIB);

    const progress = samples.map((sample) => sample.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(samples.some((sample) => sample.status === 'running' && sample.progress > 0 && sample.progress < 1 && sample.eta_seconds !== null)).toBe(true);
    expect(new Set(samples.map((sample) => sample.windows.done)).size).toBeGreaterThan(6);

    const result = (await (await fetch(`${api.url}/api/v1/jobs/${accepted.id}/transcript.json`)).json()) as TranscriptionResult;
    // Stream-copied Opus ends on a packet boundary: within a few seconds of the nominal length.
    const duration = result.duration;
    expect(Math.abs(duration - HOURS * 3600)).toBeLessThan(5);
    expect(job.audio.duration_seconds).toBeCloseTo(duration, 2);
    const { segments } = result;
    expect(segments.length).toBeGreaterThan(200);
    expect(segments.map((segment) => segment.id)).toEqual(segments.map((_, i) => i));
    for (let i = 0; i < segments.length; i += 1) {
      const segment = segments[i] as (typeof segments)[number];
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
      expect(segment.end).toBeLessThanOrEqual(duration);
      // Continuous: ordered, and no hole bigger than one whisper chunk (a lost window would leave 10 minutes).
      if (i > 0) {
        const previous = segments[i - 1] as (typeof segments)[number];
        expect(segment.start).toBeGreaterThanOrEqual(previous.start);
        expect(segment.start - previous.end).toBeLessThan(31);
      }
    }
    expect(segments[0]?.start).toBeLessThan(31);
    expect(segments.at(-1)?.end).toBeGreaterThan(duration - 31);

    const plan = JSON.parse(api.output.find((line) => line.includes('"job started"')) ?? '{}') as { cuts: number[] };
    expect(plan.cuts).toHaveLength(11);
    for (const [k, cut] of plan.cuts.entries()) {
      // Cut near each nominal 10-minute boundary (±15 s energy search) …
      expect(Math.abs(cut - ((k + 1) * duration) / 12)).toBeLessThanOrEqual(15);
      // … and no segment spans a seam: each window's words stay in its window, shifted by its exact offset.
      expect(segments.some((segment) => segment.start < cut - 0.001 && segment.end > cut + 0.001)).toBe(false);
      expect(segments.some((segment) => segment.start >= cut && segment.start < cut + 31)).toBe(true);
    }
  }, 900_000);
});
