import { realModel, realModels, sileroWeights } from '@speech/test-support';
import { type ModelServerProcess, startModelServer } from '../support/model-server-process';
import { TEST_CREDENTIALS } from '../support/local-s3';
import { type RecordingProxy, startRecordingProxy } from '../support/recording-proxy';
import { type SageMakerRig, startSageMakerRig } from '../support/sagemaker-rig';
import { type ApiProcess, startApi } from './support/api-process';
import { bytesPerSecond, JFK_WAV, normalizeText, RealtimeTestClient, realtimeAudio } from './support/realtime-client';

const TRANSCRIPT = 'conversation.item.input_audio_transcription';
/** The real Python model container with the production TransformersRuntime on CPU and real Whisper tiny.en weights. */
const realContainer = () => ({ RUNTIME: 'transformers', MODEL_PATH: realModel(realModels(), 'tiny.en', 'hf'), DEVICE: 'cpu' });

/**
 * Streams JFK (+ 2 s of silence) at twice real time with server VAD through one session, and checks what a remote
 * engine must get: exactly one engine call per committed turn (`engineCalls()` counts them where they land), each
 * turn's text as one delta, then completed.
 */
async function oneCallPerTurn(apiUrl: string, engineCalls: () => number): Promise<void> {
  const client = await RealtimeTestClient.open(`${apiUrl.replace('http', 'ws')}/v1/realtime?intent=transcription`);
  try {
    client.send({
      type: 'session.update',
      session: { type: 'transcription', audio: { input: { transcription: { model: 'whisper-1', language: 'en' }, turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 } } } },
    });
    const before = engineCalls();
    await client.stream(Buffer.concat([realtimeAudio(JFK_WAV, 'pcm16'), Buffer.alloc(48_000 * 2)]), bytesPerSecond('pcm16'), { chunkMs: 100, speed: 2 });
    await client.waitFor((events) => {
      const committed = events.filter((r) => r.event.type === 'input_audio_buffer.committed').length;
      return committed > 0 && events.filter((r) => r.event.type === `${TRANSCRIPT}.completed` || r.event.type === `${TRANSCRIPT}.failed`).length === committed;
    }, 120_000);
    expect(client.problems).toEqual([]);
    const events = client.events() as Array<Record<string, unknown> & { type: string }>;
    const committed = events.filter((event) => event.type === 'input_audio_buffer.committed');
    const completed = events.filter((event) => event.type === `${TRANSCRIPT}.completed`);
    expect(committed.length).toBeGreaterThanOrEqual(2);
    expect(completed).toHaveLength(committed.length);
    expect(engineCalls() - before).toBe(committed.length);
    for (const turn of completed) {
      const deltas = events.filter((event) => event.type === `${TRANSCRIPT}.delta` && event['item_id'] === turn['item_id']).map((event) => event['delta']);
      expect(deltas).toHaveLength(1);
      expect(normalizeText(String(deltas[0]))).toBe(normalizeText(String(turn['transcript'])));
    }
    const text = normalizeText(completed.map((turn) => String(turn['transcript'])).join(' '));
    expect(text).toContain('ask not what your country can do for you');
  } finally {
    await client.close();
  }
}

/**
 * Realtime sessions on the remote engines. The issue asks the http and sagemaker engines for one call per committed
 * turn: no partials and no speculative finals, which would each be a paid, remote call.
 */
describe('realtime sessions on the http engine (real model container, real tiny.en)', () => {
  let model: ModelServerProcess;
  let proxy: RecordingProxy;
  let api: ApiProcess;

  beforeAll(async () => {
    model = await startModelServer(realContainer(), 180_000);
    // A recording proxy between the API and the container counts the container's transcription calls.
    proxy = await startRecordingProxy(model.url);
    api = await startApi({ ENGINE: 'http', MODEL_SERVER_URL: proxy.url, VAD_MODEL_PATH: sileroWeights(), JOB_WORKERS: '0' });
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    await proxy?.stop();
    await model?.stop();
  });

  it('one container call per committed turn; each turn its text as one delta, then completed', async () => {
    await oneCallPerTurn(api.url, () => proxy.received.filter((line) => line.startsWith('POST /invocations')).length);
  }, 180_000);
});

describe('realtime sessions on the sagemaker engine (SageMaker runtime stand-in, real model container, real tiny.en)', () => {
  let rig: SageMakerRig;
  let api: ApiProcess;

  beforeAll(async () => {
    rig = await startSageMakerRig(realContainer());
    // Credentials from the environment, as an ECS task has them (the stand-in checks each call's SigV4 scope).
    api = await startApi({
      ...rig.env('realtime'),
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      VAD_MODEL_PATH: sileroWeights(),
      JOB_WORKERS: '0',
    });
  }, 300_000);

  afterAll(async () => {
    await api?.stop();
    await rig?.stop();
  });

  it('one InvokeEndpoint per committed turn; each turn its text as one delta, then completed', async () => {
    await oneCallPerTurn(api.url, () => rig.standIn.calls.filter((call) => call.operation === 'InvokeEndpoint').length);
  }, 180_000);
});
