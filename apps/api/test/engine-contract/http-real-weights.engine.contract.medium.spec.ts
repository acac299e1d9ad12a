import { locateFfmpeg } from '../../src/audio/ffmpeg-locator';
import { HttpEngine } from '../../src/engines/http/http.engine';
import { startModelServer } from '../support/model-server-process';
import { realModel, realModels } from '@speech/test-support';
import { describeEngineContract } from './engine-contract';
import { tenMinutesOfSpeech } from './long-audio';

/**
 * The http adapter against the real Python model container running the production TransformersRuntime on CPU with
 * real Whisper tiny.en weights (Hugging Face format from `npm run models:real`).
 */
describeEngineContract('http', async () => {
  const server = await startModelServer(
    {
      RUNTIME: 'transformers',
      MODEL_PATH: realModel(realModels(), 'tiny.en', 'hf'),
      DEVICE: 'cpu',
      BATCH_SIZE: '2',
      // The aborted slow request keeps its slot until it finishes: a second slot lets the next call run meanwhile.
      MAX_CONCURRENT_INFERENCES: '2',
      // Teardown then abandons that request after 2 s instead of waiting out ten minutes of audio.
      SHUTDOWN_GRACE_S: '2',
    },
    180_000, // importing torch and loading the weights on a loaded 2-core machine
  );
  return {
    engine: new HttpEngine({ url: server.url, concurrency: 1 }, locateFfmpeg().path),
    slowRequest: () => ({ audio: tenMinutesOfSpeech(), options: { task: 'transcribe', temperature: 0, wordTimestamps: false } }),
    englishOnly: true,
    teardown: () => server.stop(),
  };
});
