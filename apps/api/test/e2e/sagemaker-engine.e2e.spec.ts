import { type AudioFixture, speechFixture } from '@speech/test-support';
import { TEST_CREDENTIALS } from '../support/local-s3';
import { ASYNC_BUCKET, REALTIME_ENDPOINT, type SageMakerRig, startSageMakerRig } from '../support/sagemaker-rig';
import { type ApiProcess, startApi } from './support/api-process';
import { filePart, postMultipart } from './support/multipart';

/**
 * The AWS shape without AWS: the built API configured only through environment variables (ENGINE=sagemaker, the SDK's
 * own AWS_ENDPOINT_URL_* overrides, credentials from the environment as an ECS task would have them) in front of the
 * SageMaker runtime stand-in, s3rver and the real model container.
 */
describe('built API with ENGINE=sagemaker against the SageMaker runtime stand-in', () => {
  let rig: SageMakerRig;
  let api: ApiProcess;
  let speech: AudioFixture;

  beforeAll(async () => {
    speech = speechFixture('The API sends this clip to a SageMaker endpoint.');
    rig = await startSageMakerRig();
    api = await startApi({
      ...rig.env('auto'),
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await rig?.stop();
  });

  it('/health/engine shows the sagemaker configuration as ready', async () => {
    const response = await fetch(`${api.url}/health/engine`);
    expect(response.status).toBe(200);
    const text = JSON.stringify(await response.json());
    expect(text).toContain(REALTIME_ENDPOINT);
    expect(text).toContain('"credentials":"resolved"');
  });

  it('POST /transcribe goes through InvokeEndpoint and answers the transcription', async () => {
    const start = rig.standIn.calls.length;
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech.mp3, 'clip.mp3', 'audio/mpeg'), { name: 'language', value: 'fr' }]);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ language: 'fr', text: expect.stringMatching(/segment 1/) });
    expect(rig.standIn.calls.slice(start).map((call) => [call.operation, call.endpoint, call.status])).toEqual([['InvokeEndpoint', REALTIME_ENDPOINT, 200]]);
  });

  it("a crash in the container comes back through ModelError as 502 ENGINE_FAILED with the container's detail", async () => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech.wav, 'clip.wav', 'audio/wav'), { name: 'prompt', value: 'fake:crash' }]);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'ENGINE_FAILED', detail: expect.stringMatching(/^The model server answered 502: .+/) });
    expect(await rig.s3.keys(ASYNC_BUCKET)).toEqual([]);
  });
});
