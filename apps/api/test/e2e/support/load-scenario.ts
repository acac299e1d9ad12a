import { speechFixture } from '@speech/test-support';
import { type ApiProcess, startApi } from './api-process';
import { createJob } from './jobs-client';
import { type LoadResult, type Percentiles, REQUEST_KINDS, type RequestKind, runLoad } from './load-run';
import { filePart, multipartBody } from './multipart';
import { type RssReport, RssSampler } from './rss-sampler';

/** The mixed load of bench/load.ts and of its short CI version (load.e2e.spec.ts): one scenario, two sizes. */
export interface LoadScenarioOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Kept small so the engine queue really fills and ENGINE_BUSY is exercised. */
  readonly queueSize?: number;
  readonly mix?: Readonly<Record<RequestKind, number>>;
  readonly maxJobCreations?: number;
  /** Jobs created before the run, for the polls. */
  readonly jobsBefore?: number;
  /** Extra API environment (e.g. WHISPER_MODEL, LOG_LEVEL). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface LoadScenarioReport {
  readonly settings: Required<Omit<LoadScenarioOptions, 'env'>> & { readonly clipSeconds: number };
  readonly load: LoadResult;
  readonly rss: RssReport;
  /** The same API process answered GET /health with 200 after the run. */
  readonly healthyAfter: boolean;
  /** The number the bench is judged by besides zero unexpected answers: peak API RSS over its RSS at the start. */
  readonly rssGrowthRatio: number;
}

export const DEFAULT_MIX: Readonly<Record<RequestKind, number>> = { transcribe: 3, poll: 6, create: 1 };

/** The ~1.2 s clip every transcription sends ("Hello there."), 16 kHz mono WAV, about 40 KB. */
export function loadClip() {
  return speechFixture('Hello there.');
}

export async function runLoadScenario(options: LoadScenarioOptions): Promise<LoadScenarioReport> {
  const settings = {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    queueSize: options.queueSize ?? 4,
    mix: options.mix ?? DEFAULT_MIX,
    maxJobCreations: options.maxJobCreations ?? 50,
    jobsBefore: options.jobsBefore ?? 8,
  };
  const clip = loadClip();
  const api = await startApi({
    ENGINE_QUEUE_SIZE: String(settings.queueSize),
    MAX_AUDIO_SECONDS: '10',
    // Per-minute rate limits off: the run measures capacity, not the limiter.
    RATE_LIMIT_PER_IP: '0',
    RATE_LIMIT_PER_KEY: '0',
    LOG_LEVEL: 'warn',
    JOB_POLL_MS: '200',
    ...options.env,
  });
  try {
    await warmUp(api, clip.wav);
    const jobIds: string[] = [];
    for (let i = 0; i < settings.jobsBefore; i += 1) jobIds.push((await createJob(api.url, clip.wav)).id);
    const upload = multipartBody([filePart(clip.wav, 'clip.wav', 'audio/wav'), { name: 'language', value: 'en' }]);
    const pid = api.child.pid ?? -1;
    const sampler = new RssSampler(pid);
    const load = await runLoad({
      url: api.url,
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      upload,
      jobIds,
      mix: settings.mix,
      maxJobCreations: settings.maxJobCreations,
      timeoutSeconds: 60,
    });
    const rss = sampler.stop();
    const healthyAfter = api.child.exitCode === null && (await fetch(`${api.url}/health`).then((r) => r.status === 200, () => false));
    return { settings: { ...settings, clipSeconds: clip.durationSeconds }, load, rss, healthyAfter, rssGrowthRatio: rss.api.peakMiB / rss.api.startMiB };
  } finally {
    await api.stop();
  }
}

/** The first transcription loads the model and warms the page cache; it is not part of the measurement. */
async function warmUp(api: ApiProcess, wav: string): Promise<void> {
  const { body, contentType } = multipartBody([filePart(wav, 'warm.wav', 'audio/wav')]);
  const response = await fetch(`${api.url}/transcribe`, { method: 'POST', body: body as unknown as BodyInit, headers: { 'content-type': contentType } });
  if (response.status !== 200) throw new Error(`warm-up answered ${response.status}: ${await response.text()}`);
}

export function formatLoadReport(report: LoadScenarioReport): string {
  const { settings, load, rss } = report;
  const ms = (p: Percentiles) => `${p.p50.toFixed(0)} / ${p.p90.toFixed(0)} / ${p.p99.toFixed(0)} / ${p.max.toFixed(0)}`;
  const lines = [
    `${settings.connections} connections × ${settings.durationSeconds} s; mix transcribe:poll:create = ` +
      `${settings.mix.transcribe}:${settings.mix.poll}:${settings.mix.create} (creations capped at ${settings.maxJobCreations}); ` +
      `ENGINE_QUEUE_SIZE ${settings.queueSize}; clip ${settings.clipSeconds.toFixed(2)} s`,
    `requests: ${load.total} in ${load.durationSeconds.toFixed(1)} s = ${(load.total / load.durationSeconds).toFixed(0)}/s`,
    '',
    '| kind | requests | per s | p50 / p90 / p99 / max ms |',
    '|---|---|---|---|',
    ...REQUEST_KINDS.map((kind) => `| ${kind} | ${load.byKind[kind]} | ${(load.byKind[kind] / load.durationSeconds).toFixed(1)} | ${ms(load.latencyMsByKind[kind])} |`),
    `| all | ${load.total} | ${(load.total / load.durationSeconds).toFixed(1)} | ${ms(load.latencyMs)} |`,
    '',
    'answers by kind, status and code:',
    ...[...load.outcomes].map(([outcome, count]) => `  ${outcome}: ${count}`),
    `503 ENGINE_BUSY / DECODE_BUSY with Retry-After: ${load.busyWithRetryAfter}`,
    `unexpected (other statuses, 503 without Retry-After, connection errors, timeouts): ${load.unexpected}`,
    ...load.unexpectedExamples.map((example) => `  ! ${example}`),
    '',
    `API RSS: start ${rss.api.startMiB.toFixed(0)} MiB, peak ${rss.api.peakMiB.toFixed(0)} MiB, end ${rss.api.endMiB.toFixed(0)} MiB (${rss.api.samples} samples)`,
    rss.worker
      ? `whisper worker RSS: start ${rss.worker.startMiB.toFixed(0)} MiB, peak ${rss.worker.peakMiB.toFixed(0)} MiB, end ${rss.worker.endMiB.toFixed(0)} MiB`
      : 'whisper worker RSS: no worker seen',
    `healthy after the run: ${report.healthyAfter}`,
    `judged by: unexpected = ${load.unexpected} (must be 0); ratio peak / start API RSS = ${report.rssGrowthRatio.toFixed(2)}`,
  ];
  return lines.join('\n');
}
