import { cachedWhisperModel } from '@speech/test-support';
import { defaultWhisperThreads } from '../../src/engines/local/cpu-threads';
import { LocalWhisperEngine } from '../../src/engines/local/local-whisper.engine';
import { describeEngineContract } from './engine-contract';
import { tenMinutesOfSpeech } from './long-audio';

describeEngineContract('local', async () => ({
  engine: new LocalWhisperEngine({
    model: await cachedWhisperModel('tiny-test'),
    modelsDir: '.cache/whisper-models',
    threads: defaultWhisperThreads(),
    concurrency: 1,
    build: 'native',
    useGpu: false,
    autoDownload: false,
    downloadBaseUrl: 'http://127.0.0.1:9',
  }),
  slowRequest: () => ({ audio: tenMinutesOfSpeech(), options: { task: 'transcribe', temperature: 0, wordTimestamps: false } }),
  teardown: async () => undefined,
}));
