import { locateFfmpeg } from '../../src/audio/ffmpeg-locator';
import { HttpEngine } from '../../src/engines/http/http.engine';
import { startModelServer } from '../support/model-server-process';
import { describeEngineContract } from './engine-contract';
import { normalized } from './engine-contract';
import { speechFixture } from '@speech/test-support';

/** The http adapter against the real Python model container on its fault-injection runtime (a request that sleeps on demand);
 * the same suite on the real TransformersRuntime with real weights: http-real-weights.engine.contract.medium.spec.ts. */
describeEngineContract('http', async () => {
  const server = await startModelServer();
  return {
    engine: new HttpEngine({ url: server.url, concurrency: 1 }, locateFfmpeg().path),
    // The fake runtime sleeps when its prompt asks it to: a call that is surely still running after a second.
    slowRequest: () => ({ audio: normalized(speechFixture('A slow request.')), options: { task: 'transcribe', temperature: 0, wordTimestamps: false, prompt: 'fake:sleep=10' } }),
    teardown: () => server.stop(),
  };
});
