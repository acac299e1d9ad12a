import type { TranscriptionOptions } from '@speech/contracts';
import { speechFixture } from '@speech/test-support';
import { DomainError } from '../../src/common/domain-error';
import type { SageMakerSection } from '../../src/config/app-config';
import { REALTIME_PAYLOAD_LIMIT } from '../../src/engines/sagemaker/invocation-route';
import { createSageMakerClients } from '../../src/engines/sagemaker/sagemaker-clients';
import { SageMakerEngine } from '../../src/engines/sagemaker/sagemaker.engine';
import type { EngineRequest, NormalizedAudio } from '../../src/engines/transcription-engine.port';
import { normalized } from '../engine-contract/engine-contract';
import { tenMinutesOfSpeech } from '../engine-contract/long-audio';
import { ASYNC_BUCKET, ASYNC_ENDPOINT, ASYNC_PREFIX, REALTIME_ENDPOINT, type SageMakerRig, startSageMakerRig } from '../support/sagemaker-rig';

/**
 * What the contract suite does not cover: size-based routing, the SDK's retries, error mapping from SageMaker's own
 * answers, and S3 hygiene — the real AWS SDK against the runtime stand-in, s3rver and the real model container.
 */
describe('sagemaker engine: routing, retries, errors and S3 clean-up', () => {
  let rig: SageMakerRig;
  let short: NormalizedAudio;
  const engines: SageMakerEngine[] = [];

  const engine = (mode: SageMakerSection['mode'], env: Record<string, string> = {}) => {
    const created = rig.engine(rig.section(mode, env));
    engines.push(created);
    return created;
  };
  const request = (audio: NormalizedAudio, extra: Partial<TranscriptionOptions> = {}, signal = new AbortController().signal): EngineRequest => ({
    audio,
    options: { task: 'transcribe', temperature: 0, wordTimestamps: false, ...extra },
    signal,
  });
  const callsFrom = (start: number) => rig.standIn.calls.slice(start);
  const bucketKeys = () => rig.s3.keys(ASYNC_BUCKET);

  beforeAll(async () => {
    rig = await startSageMakerRig();
    short = normalized(speechFixture('Routing, retries and errors of the SageMaker engine.'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(engines.map((created) => created.stop()));
    await rig?.stop();
  });

  it('auto: a short clip goes real-time, ten minutes (about 10 MB of FLAC) go async through S3, and S3 is left empty', async () => {
    const auto = engine('auto');
    const start = rig.standIn.calls.length;
    expect((await auto.transcribe(request(short, { language: 'en' }))).language).toBe('en');
    const long = tenMinutesOfSpeech();
    const result = await auto.transcribe(request(long, { language: 'en' }));

    const calls = callsFrom(start);
    expect(calls.map((call) => [call.operation, call.endpoint, call.status])).toEqual([
      ['InvokeEndpoint', REALTIME_ENDPOINT, 200],
      ['InvokeEndpointAsync', ASYNC_ENDPOINT, 202],
    ]);
    const [realtime, async] = calls as [(typeof calls)[0], (typeof calls)[0]];
    expect(realtime.bodyBytes).toBeLessThanOrEqual(REALTIME_PAYLOAD_LIMIT);
    expect(realtime.headers).toMatchObject({ 'content-type': 'audio/flac', 'x-amzn-sagemaker-custom-attributes': expect.stringContaining('language=en') });
    expect(async.bodyBytes).toBe(0);
    expect(async.headers).toMatchObject({
      'x-amzn-sagemaker-inputlocation': expect.stringMatching(new RegExp(`^s3://${ASYNC_BUCKET}/${ASYNC_PREFIX}/input/[0-9a-f-]{36}\\.flac$`)),
      'x-amzn-sagemaker-content-type': 'audio/flac',
      'x-amzn-sagemaker-custom-attributes': expect.stringContaining('language=en'),
      'x-amzn-sagemaker-invocationtimeoutseconds': '3600',
    });
    // The whole ten minutes came back (the fake runtime names voiced stretches with their times).
    expect(result.segments.at(-1)?.end).toBeGreaterThan(long.durationSeconds - 30);
    // Input and output objects are both gone.
    expect(await bucketKeys()).toEqual([]);
  }, 120_000);

  it('realtime mode refuses audio above 6 MiB before calling, and says why', async () => {
    const start = rig.standIn.calls.length;
    await expect(engine('realtime').transcribe(request(tenMinutesOfSpeech()))).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: expect.stringContaining('SAGEMAKER_MODE=realtime has no async route'),
    });
    expect(callsFrom(start)).toEqual([]);
  }, 60_000);

  it('options too long for CustomAttributes travel as the JSON body, real-time and async', async () => {
    const prompt = 'Kubernetes, SageMaker and Whisper. '.repeat(40); // 1,400 characters: over the 1,024 of the header
    const start = rig.standIn.calls.length;
    expect((await engine('realtime').transcribe(request(short, { prompt, language: 'en' }))).language).toBe('en');
    expect((await engine('async').transcribe(request(short, { prompt, language: 'en' }))).language).toBe('en');
    const [realtime, async] = callsFrom(start);
    expect(realtime?.headers['content-type']).toBe('application/json');
    expect(realtime?.headers['x-amzn-sagemaker-custom-attributes']).toBeUndefined();
    expect(async?.headers['x-amzn-sagemaker-content-type']).toBe('application/json');
    expect(async?.headers['x-amzn-sagemaker-inputlocation']).toMatch(/\.json$/);
  });

  it("retries ThrottlingException with the SDK's back-off and succeeds within SAGEMAKER_MAX_ATTEMPTS", async () => {
    const start = rig.standIn.calls.length;
    rig.standIn.inject('ThrottlingException', 3);
    expect((await engine('realtime').transcribe(request(short, { language: 'en' }))).language).toBe('en');
    const calls = callsFrom(start);
    expect(calls.map((call) => call.status)).toEqual([400, 400, 400, 200]);
    expect(calls.map((call) => call.headers['amz-sdk-request'])).toEqual([1, 2, 3, 4].map((n) => `attempt=${n}; max=4`));
  }, 30_000);

  it('throttling through the last attempt ends in ENGINE_BUSY with Retry-After', async () => {
    const start = rig.standIn.calls.length;
    rig.standIn.inject('ThrottlingException', 2);
    await expect(engine('realtime', { SAGEMAKER_MAX_ATTEMPTS: '2' }).transcribe(request(short))).rejects.toMatchObject({ code: 'ENGINE_BUSY', retryAfterSeconds: 5 });
    expect(callsFrom(start)).toHaveLength(2);
  }, 30_000);

  it('ModelNotReadyException (retried as the SDK retries a 429) ends in MODEL_UNAVAILABLE', async () => {
    const start = rig.standIn.calls.length;
    rig.standIn.inject('ModelNotReadyException', 2);
    await expect(engine('realtime', { SAGEMAKER_MAX_ATTEMPTS: '2' }).transcribe(request(short))).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    expect(callsFrom(start).map((call) => call.status)).toEqual([429, 429]);
  }, 30_000);

  it("passes the container's own error code through: ModelError real-time, the failure object async", async () => {
    const start = rig.standIn.calls.length;
    await expect(engine('realtime').transcribe(request(short, { language: 'zz' }))).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining("'zz'") });
    expect(callsFrom(start)[0]?.status).toBe(424);
    await expect(engine('async').transcribe(request(short, { language: 'zz' }))).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining("'zz'") });
    await expect(engine('async').transcribe(request(short, { prompt: 'fake:crash' }))).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    expect(await bucketKeys()).toEqual([]);
  }, 30_000);

  it("SageMaker's real-time cut (60 s; 1 s on this stand-in) is ENGINE_TIMEOUT", async () => {
    const impatient = await rig.extraStandIn({ realtimeTimeoutMs: 1000 });
    const slow = engine('realtime', { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: impatient.url });
    await expect(slow.transcribe(request(short, { prompt: 'fake:sleep=2' }))).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' });
  }, 30_000);

  it('an endpoint that does not exist is MODEL_UNAVAILABLE', async () => {
    await expect(engine('realtime', { SAGEMAKER_ENDPOINT_NAME: 'no-such-endpoint' }).transcribe(request(short))).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('no-such-endpoint'),
    });
  });

  it("health: ready when credentials resolve, with the last call's outcome; not ready without credentials", async () => {
    const auto = engine('auto');
    await auto.transcribe(request(short, { language: 'zz' })).catch(() => undefined);
    expect(await auto.health()).toMatchObject({
      ready: true,
      detail: { mode: 'auto', realtimeEndpoint: REALTIME_ENDPOINT, asyncEndpoint: ASYNC_ENDPOINT, credentials: 'resolved', lastCall: { route: 'realtime', outcome: 'INVALID_OPTION' } },
    });
    const section = rig.section('realtime');
    const missing = async () => {
      throw new Error('no credentials on this machine');
    };
    const blind = new SageMakerEngine(section, { concurrency: 1, ffmpegPath: 'ffmpeg' }, createSageMakerClients(section, missing));
    engines.push(blind);
    expect(await blind.health()).toMatchObject({ ready: false, detail: { credentials: expect.stringContaining('no credentials on this machine') } });
  });

  // Last: the abandoned call's output lands in S3 later, as it would on SageMaker (a lifecycle rule expires it).
  it('abort while polling an async call: rejects at once with the reason and deletes the S3 input', async () => {
    const controller = new AbortController();
    const start = rig.standIn.calls.length;
    const call = engine('async').transcribe(request(short, { prompt: 'fake:sleep=4' }, controller.signal));
    await until(() => callsFrom(start).some((c) => c.operation === 'InvokeEndpointAsync' && c.status === 202));
    await new Promise((resolve) => setTimeout(resolve, 800)); // a poll or two
    expect(await rig.s3.keys(ASYNC_BUCKET, `${ASYNC_PREFIX}/input/`)).toHaveLength(1);

    const reason = new DomainError('CANCELLED');
    const abortedAt = Date.now();
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    expect(await rig.s3.keys(ASYNC_BUCKET, `${ASYNC_PREFIX}/input/`)).toEqual([]);
    await rig.standIn.settled();
    expect(await rig.s3.keys(ASYNC_BUCKET, `${ASYNC_PREFIX}/output/`)).toHaveLength(1);
  }, 30_000);
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
