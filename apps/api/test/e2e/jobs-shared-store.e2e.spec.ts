import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalServer, localAwsStoresEnv, startDynalite, startS3rver } from '../medium/support/local-aws';
import { type ApiProcess, startApi } from './support/api-process';
import { fastJobsModel, loopedRecording } from './support/job-fixtures';
import { createJob, isEnded, waitForJob } from './support/jobs-client';

interface StoreSetup {
  readonly name: string;
  readonly env: () => Promise<Record<string, string>>;
  readonly teardown: () => Promise<void>;
}

const servers: LocalServer[] = [];

const setups: StoreSetup[] = [
  { name: 'SQLite file + local blobs', env: async () => ({}), teardown: async () => undefined },
  {
    name: 'DynamoDB (dynalite) + S3 (s3rver), real AWS SDK',
    env: async () => {
      const dynamo = await startDynalite();
      const s3 = await startS3rver();
      servers.push(dynamo, s3);
      return localAwsStoresEnv({ dynamodb: dynamo.endpoint, s3: s3.endpoint });
    },
    teardown: async () => {
      await Promise.all(servers.splice(0).map((server) => server.stop()));
    },
  },
];

/**
 * Two API processes on one store, each with two workers racing for the same queue: every job runs exactly
 * once (one start, one run of each window), and both processes take part. Run on each store adapter.
 */
describe.each(setups)('two API processes sharing one job store: $name', (setup) => {
  let shared: string;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    shared = mkdtempSync(join(tmpdir(), 'jobs-shared-'));
    const env = {
      ...(await setup.env()),
      WHISPER_MODEL: await fastJobsModel(),
      WINDOW_SECONDS: '30',
      JOB_WORKERS: '2',
      JOB_POLL_MS: '100',
      JOB_LEASE_SECONDS: '5',
      // Two engines share the machine's cores; one thread each avoids oversubscribing them.
      WHISPER_THREADS: '1',
    };
    const dirs = { tmpDir: join(shared, 'tmp'), dataDir: join(shared, 'data') };
    // Started together, so both race to create the table and the bucket too.
    const started = await Promise.allSettled([startApi(env, dirs), startApi(env, dirs)]);
    for (const result of started) if (result.status === 'fulfilled') apis.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(apis.splice(0).map((api) => api.stop()));
    await setup.teardown();
    rmSync(shared, { recursive: true, force: true });
  });

  it('runs every job exactly once, spread over both processes', async () => {
    const recording = loopedRecording(2);
    const accepted = [];
    for (let i = 0; i < 6; i += 1) accepted.push(await createJob((apis[i % 2] as ApiProcess).url, recording));
    // Either process answers for any job: the state lives in the shared store.
    const ended = await Promise.all(accepted.map((job, i) => waitForJob((apis[(i + 1) % 2] as ApiProcess).url, job.id, isEnded, 120_000)));
    expect(ended.map((job) => job.status)).toEqual(accepted.map(() => 'succeeded'));
    expect(ended.map((job) => job.attempts)).toEqual(accepted.map(() => 1));

    const lines = apis.flatMap((api, index) => api.output.map((line) => ({ index, line })));
    const starts = lines.filter(({ line }) => line.includes('"job started"')).map(({ index, line }) => ({ index, ...(JSON.parse(line) as { job_id: string }) }));
    for (const job of accepted) expect(starts.filter((start) => start.job_id === job.id)).toHaveLength(1);
    const windowRuns = lines.filter(({ line }) => line.includes('"window done"')).map(({ line }) => JSON.parse(line) as { job_id: string; window: number });
    const keys = windowRuns.map((run) => `${run.job_id}#${run.window}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(accepted.length * 4);
    expect(new Set(starts.map((start) => start.index))).toEqual(new Set([0, 1]));
  }, 180_000);
});
