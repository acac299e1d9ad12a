import { createReadStream } from 'node:fs';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import OpenAI from 'openai';
import { type ModelServerProcess, startModelServer } from '../support/model-server-process';
import { type ApiProcess, startApi } from './support/api-process';
import { filePart, postMultipart } from './support/multipart';

/**
 * The docker-compose shape without Docker: the built API (ENGINE=http) in front of the real Python model container
 * (its fake runtime: no weights here). A transcription through both route families, and the container's own error
 * code arriving intact.
 */
describe('built API with ENGINE=http against the real model container', () => {
  let model: ModelServerProcess;
  let api: ApiProcess;
  let speech: AudioFixture;

  beforeAll(async () => {
    speech = speechFixture('The API forwards this clip to the model container.');
    // A short inference limit inside the container, far below the API's own deadline.
    model = await startModelServer({ INFERENCE_TIMEOUT_S: '2' });
    api = await startApi({ ENGINE: 'http', MODEL_SERVER_URL: model.url });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await model?.stop();
  });

  it('reports the http engine ready on /health', async () => {
    const response = await fetch(`${api.url}/health/engine`);
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain(model.url);
  });

  it("POST /transcribe answers the container's transcription", async () => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech.mp3, 'clip.mp3', 'audio/mpeg'), { name: 'language', value: 'de' }]);
    expect(response.status).toBe(200);
    const body = await response.json();
    // The fake runtime names the voiced stretches it found: proof the audio went all the way through.
    expect(body).toMatchObject({ language: 'de', duration: expect.closeTo(speech.durationSeconds, 1) });
    expect(body.segments.length).toBeGreaterThan(0);
    expect(body.text).toMatch(/segment 1/);
  });

  it('the OpenAI route (/v1/audio/transcriptions) answers verbose_json through the official SDK', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${api.url}/v1`, maxRetries: 0 });
    const result = (await client.audio.transcriptions.create({
      file: createReadStream(speech.wav),
      model: 'whisper-1',
      response_format: 'verbose_json',
      language: 'en',
    })) as OpenAI.Audio.TranscriptionVerbose;
    expect(result.language).toMatch(/^en/);
    expect(result.segments?.length).toBeGreaterThan(0);
    expect(result.text).toMatch(/segment 1/);
  });

  it("a crash inside the model server arrives as 502 ENGINE_FAILED with the container's detail", async () => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech.wav, 'clip.wav', 'audio/wav'), { name: 'prompt', value: 'fake:crash' }]);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = await response.json();
    expect(problem).toMatchObject({ code: 'ENGINE_FAILED', status: 502, detail: expect.stringMatching(/^The model server answered 502: .+/) });
  });

  it("a code the container decides (its own 2 s inference limit → ENGINE_TIMEOUT) keeps its code, status and detail", async () => {
    const response = await postMultipart(`${api.url}/transcribe`, [filePart(speech.wav, 'clip.wav', 'audio/wav'), { name: 'prompt', value: 'fake:sleep=4' }]);
    const problem = await response.json();
    expect({ status: response.status, code: problem.code }).toEqual({ status: 504, code: 'ENGINE_TIMEOUT' });
    // The container's wording, not the API's own deadline ("The engine did not finish within …").
    expect(problem.detail).toBe('Transcription did not finish within 2 s.');
  });
});
