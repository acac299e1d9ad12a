// Load: the built API with the local engine on a generated tiny model (width 64, 4+4 layers), ENGINE_CONCURRENCY
// default (1) and a small ENGINE_QUEUE_SIZE so the queue really fills, under autocannon: N connections for D seconds of a
// mix of ~1.2 s synchronous transcriptions (POST /transcribe), polls of jobs created before the run
// (GET /api/v1/jobs/{id}) and a few job creations. Every answer is checked: 200/202, or 503 ENGINE_BUSY with Retry-After.
// Per-minute rate limits are off (RATE_LIMIT_PER_IP=0, RATE_LIMIT_PER_KEY=0): this measures capacity, not the limiter.
// Judged by: unexpected answers = 0 (exit 1 otherwise), and the ratio peak / start RSS of the API process.
// Run: node scripts/run-ts.mjs bench/load.ts [--connections 50] [--duration 60] [--queue-size 4] [--mix 3:6:1]
//      (needs a built API: npx nx build api). env MODEL=tiny-test|fast, LOG_LEVEL=warn|info
import { cachedWhisperModel } from '@speech/test-support';
import { fastJobsModel } from '../apps/api/test/e2e/support/job-fixtures';
import { formatLoadReport, runLoadScenario } from '../apps/api/test/e2e/support/load-scenario';

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : (process.env[name.toUpperCase().replace(/-/g, '_')] ?? fallback);
}

async function main(): Promise<void> {
  const [transcribe = 3, poll = 6, create = 1] = flag('mix', '3:6:1').split(':').map(Number);
  const model = process.env['MODEL'] === 'fast' ? await fastJobsModel() : await cachedWhisperModel('tiny-test');
  const report = await runLoadScenario({
    connections: Number(flag('connections', '50')),
    durationSeconds: Number(flag('duration', '60')),
    queueSize: Number(flag('queue-size', '4')),
    mix: { transcribe, poll, create },
    maxJobCreations: Number(flag('max-creations', '50')),
    env: { WHISPER_MODEL: model, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' },
  });
  console.log(`model: ${model}`);
  console.log(formatLoadReport(report));
  if (report.load.unexpected > 0 || !report.healthyAfter) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
