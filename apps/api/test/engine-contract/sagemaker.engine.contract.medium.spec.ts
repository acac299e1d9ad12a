import { speechFixture } from '@speech/test-support';
import type { SageMakerSection } from '../../src/config/app-config';
import { type SageMakerRig, startSageMakerRig } from '../support/sagemaker-rig';
import { describeEngineContract, normalized } from './engine-contract';

/**
 * The sagemaker adapter — the unchanged AWS SDK — against the SageMaker runtime stand-in, s3rver and the real Python
 * model container (fake runtime), once per invocation style.
 */
for (const mode of ['realtime', 'async'] as const satisfies ReadonlyArray<SageMakerSection['mode']>) {
  describe(`${mode} mode`, () => {
    let rig: SageMakerRig;
    describeEngineContract('sagemaker', async () => {
      rig = await startSageMakerRig();
      return {
        engine: rig.engine(rig.section(mode)),
        // The fake runtime sleeps when its prompt asks it to: a call that is surely still running after a second.
        slowRequest: () => ({ audio: normalized(speechFixture('A slow request.')), options: { task: 'transcribe', temperature: 0, wordTimestamps: false, prompt: 'fake:sleep=10' } }),
        teardown: () => rig.stop(),
      };
    });

    it('went through the invocation style it was configured for', () => {
      const operations = new Set(rig.standIn.calls.map((call) => call.operation));
      expect([...operations]).toEqual([mode === 'realtime' ? 'InvokeEndpoint' : 'InvokeEndpointAsync']);
    });
  });
}
