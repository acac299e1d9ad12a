import { type AudioFixture, speechFixture } from '@speech/test-support';
import { TEST_CREDENTIALS } from '../support/local-s3';
import { type ModelServerProcess, startModelServer } from '../support/model-server-process';
import { type RecordingProxy, startRecordingProxy } from '../support/recording-proxy';
import { REALTIME_ENDPOINT, type SageMakerRig, startSageMakerRig } from '../support/sagemaker-rig';
import type { SageMakerStandIn } from '../support/sagemaker-stand-in';
import { type ApiProcess, startApi } from './support/api-process';
import { filePart, postMultipart } from './support/multipart';

/**
 * The remote engines map model names to their own configuration: ENGINE=http sends a request naming a model of
 * MODEL_SERVER_MODELS to that model's container, ENGINE=sagemaker one naming a model of SAGEMAKER_MODELS to that model's
 * endpoint and production variant (TargetVariant), through the real AWS SDK. Every other request goes to the default;
 * a name neither knows is a 400 INVALID_OPTION naming the valid ones. Built API as a process, real model container.
 */
describe('model routing of the remote engines (built API)', () => {
  let speech: AudioFixture;

  beforeAll(() => {
    speech = speechFixture('This request names the model it wants.');
  });

  async function transcribe(api: ApiProcess, model?: string): Promise<Response> {
    return postMultipart(`${api.url}/v1/audio/transcriptions`, [
      filePart(speech.wav, 'clip.wav', 'audio/wav'),
      ...(model !== undefined ? [{ name: 'model', value: model }] : []),
      { name: 'response_format', value: 'json' },
    ]);
  }

  async function modelIds(api: ApiProcess): Promise<string[]> {
    const list = (await (await fetch(`${api.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    return list.data.map((model) => model.id);
  }

  async function expectUnknownModelRefused(api: ApiProcess, valid: readonly string[]): Promise<void> {
    const response = await transcribe(api, 'large-v9-imaginary');
    expect(response.status).toBe(400);
    // The /v1 routes answer in OpenAI's error shape; the stable code and the request id are there as on every route.
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const { error } = (await response.json()) as { error: { code: string; message: string; param?: string } };
    expect(error).toMatchObject({ code: 'INVALID_OPTION', param: 'model' });
    for (const id of valid) expect(error.message).toContain(id);
  }

  describe('ENGINE=http with MODEL_SERVER_MODELS', () => {
    let container: ModelServerProcess;
    let defaultContainer: RecordingProxy;
    let baseContainer: RecordingProxy;
    let api: ApiProcess;

    beforeAll(async () => {
      container = await startModelServer();
      // Two recording front doors on one real container stand for two containers, one per model.
      [defaultContainer, baseContainer] = await Promise.all([startRecordingProxy(container.url), startRecordingProxy(container.url)]);
      api = await startApi({ ENGINE: 'http', MODEL_SERVER_URL: defaultContainer.url, MODEL_SERVER_MODELS: `remote-base=${baseContainer.url}` });
    }, 120_000);

    afterAll(async () => {
      await api?.stop();
      await Promise.all([defaultContainer?.stop(), baseContainer?.stop()]);
      await container?.stop();
    });

    it('lists the mapped model next to the default', async () => {
      expect(await modelIds(api)).toContain('remote-base');
    });

    it.each([
      ['remote-base', 'the mapped container'],
      ['whisper-1', 'the default container'],
      [undefined, 'the default container'],
    ])('a request naming %s goes to %s', async (model, where) => {
      const before = { base: baseContainer.received.length, default: defaultContainer.received.length };
      const response = await transcribe(api, model);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { text: string }).text).toMatch(/segment 1/);
      const invocations = (proxy: RecordingProxy, from: number) => proxy.received.slice(from).filter((line) => line === 'POST /invocations').length;
      const expected = where === 'the mapped container' ? { base: 1, default: 0 } : { base: 0, default: 1 };
      expect({ base: invocations(baseContainer, before.base), default: invocations(defaultContainer, before.default) }).toEqual(expected);
    });

    it('an unknown model is a 400 INVALID_OPTION naming the valid ones, and reaches no container', async () => {
      const before = defaultContainer.received.length + baseContainer.received.length;
      await expectUnknownModelRefused(api, ['whisper-1', 'remote-base']);
      expect(defaultContainer.received.length + baseContainer.received.length - before).toBe(0);
    });
  });

  describe('ENGINE=sagemaker with SAGEMAKER_MODELS', () => {
    const BASE_ENDPOINT = 'whisper-base';
    let rig: SageMakerRig;
    let standIn: SageMakerStandIn;
    let api: ApiProcess;

    beforeAll(async () => {
      rig = await startSageMakerRig();
      // The default real-time endpoint and a second one with the base model, as a second SageMaker endpoint would be.
      standIn = await rig.extraStandIn({ endpoints: { [REALTIME_ENDPOINT]: { kind: 'realtime' }, [BASE_ENDPOINT]: { kind: 'realtime' } } });
      api = await startApi({
        ...rig.env('realtime'),
        AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: standIn.url,
        SAGEMAKER_MODELS: `sm-base=${BASE_ENDPOINT}/variant-base,sm-tiny=${REALTIME_ENDPOINT}`,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      });
    }, 120_000);

    afterAll(async () => {
      await api?.stop();
      await rig?.stop();
    });

    it('lists the mapped models', async () => {
      expect(await modelIds(api)).toEqual(expect.arrayContaining(['sm-base', 'sm-tiny']));
    });

    it.each([
      ['sm-base', BASE_ENDPOINT, 'variant-base'],
      ['sm-tiny', REALTIME_ENDPOINT, undefined],
      ['whisper-1', REALTIME_ENDPOINT, undefined],
    ])('a request naming %s invokes endpoint %s (TargetVariant %s)', async (model, endpoint, variant) => {
      const start = standIn.calls.length;
      const response = await transcribe(api, model);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { text: string }).text).toMatch(/segment 1/);
      const calls = standIn.calls.slice(start);
      expect(calls.map((call) => [call.operation, call.endpoint, call.status])).toEqual([['InvokeEndpoint', endpoint, 200]]);
      expect(calls[0]?.headers['x-amzn-sagemaker-target-variant']).toBe(variant);
    });

    it('an unknown model is a 400 INVALID_OPTION naming the valid ones, and invokes no endpoint', async () => {
      const start = standIn.calls.length;
      await expectUnknownModelRefused(api, ['whisper-1', 'sm-base', 'sm-tiny']);
      expect(standIn.calls.length).toBe(start);
    });
  });
});
