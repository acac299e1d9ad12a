import type { TranscriptionOptions } from '@speech/contracts';
import { speechFixture } from '@speech/test-support';
import type { SageMakerSection } from '../../src/config/app-config';
import type { EngineRequest, NormalizedAudio } from '../../src/engines/transcription-engine.port';
import { SageMakerEngine } from '../../src/engines/sagemaker/sagemaker.engine';
import { normalized } from '../engine-contract/engine-contract';
import { type SageMakerRig, startSageMakerRig } from '../support/sagemaker-rig';

/**
 * SageMaker's runtime answering a plain 5xx — InternalFailure (500) or ServiceUnavailable (503) — as AWS does in a
 * bad minute: the SDK retries, a brief fault passes unseen, a lasting one ends in a clear code. Throttling,
 * ModelError and the 60 s cut are in sagemaker-engine.medium.spec.ts.
 */
describe('sagemaker engine: plain 5xx from the runtime', () => {
  let rig: SageMakerRig;
  let short: NormalizedAudio;
  const engines: SageMakerEngine[] = [];

  const engine = (env: Record<string, string> = {}) => {
    const created = rig.engine(rig.section('realtime' satisfies SageMakerSection['mode'], env));
    engines.push(created);
    return created;
  };
  const request = (extra: Partial<TranscriptionOptions> = {}): EngineRequest => ({
    audio: short,
    options: { task: 'transcribe', temperature: 0, wordTimestamps: false, ...extra },
    signal: new AbortController().signal,
  });
  const statusesFrom = (start: number) => rig.standIn.calls.slice(start).map((call) => call.status);

  beforeAll(async () => {
    rig = await startSageMakerRig();
    short = normalized(speechFixture('A bad minute for the inference service.'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(engines.map((created) => created.stop()));
    await rig?.stop();
  });

  it.each([
    ['InternalFailure', 500],
    ['ServiceUnavailable', 503],
  ] as const)('%s (%i) on the first tries is retried by the SDK and the call succeeds', async (fault, status) => {
    const start = rig.standIn.calls.length;
    rig.standIn.inject(fault, 2);
    expect((await engine().transcribe(request({ language: 'en' }))).language).toBe('en');
    expect(statusesFrom(start)).toEqual([status, status, 200]);
  }, 30_000);

  it('InternalFailure through the last attempt ends in ENGINE_FAILED naming the fault', async () => {
    const start = rig.standIn.calls.length;
    rig.standIn.inject('InternalFailure', 3);
    await expect(engine({ SAGEMAKER_MAX_ATTEMPTS: '3' }).transcribe(request())).rejects.toMatchObject({
      code: 'ENGINE_FAILED',
      message: expect.stringContaining('InternalFailure'),
    });
    expect(statusesFrom(start)).toEqual([500, 500, 500]);
  }, 30_000);

  it('ServiceUnavailable through the last attempt ends in ENGINE_BUSY with Retry-After', async () => {
    const start = rig.standIn.calls.length;
    rig.standIn.inject('ServiceUnavailable', 3);
    const failure = await engine({ SAGEMAKER_MAX_ATTEMPTS: '3' }).transcribe(request()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ENGINE_BUSY', status: 503 });
    expect((failure as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(statusesFrom(start)).toEqual([503, 503, 503]);
    // The fault has passed: the next call goes straight through.
    const next = rig.standIn.calls.length;
    expect((await engine().transcribe(request({ language: 'en' }))).language).toBe('en');
    expect(statusesFrom(next)).toEqual([200]);
  }, 30_000);
});
