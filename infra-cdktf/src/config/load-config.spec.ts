import { loadStackConfig } from './load-config';
import { StackConfigError } from './stack-config';
import { EXAMPLE_DEPLOY_ENV } from '../testing/example-env';

describe('loadStackConfig', () => {
  it('defaults to dev: one NAT gateway, async endpoint scaled to zero, small tasks, HTTP', () => {
    const config = loadStackConfig({});
    expect(config.environment).toBe('dev');
    expect(config.network.natGateways).toBe('single');
    expect(config.endpoint).toMatchObject({ mode: 'async', minInstances: 0 });
    expect(config.api).toMatchObject({ cpu: 1024, memory: 2048 });
    expect(config.web).toMatchObject({ cpu: 256, memory: 512 });
    expect(config.loadBalancer.certificateArn).toBeUndefined();
    expect(config.images.tag).toBe('latest');
    expect(config.stateBackend).toBeUndefined();
  });

  it('picks prod by STACK_ENV: NAT per AZ, real-time endpoint, HTTPS with the certificate', () => {
    const config = loadStackConfig({ ...EXAMPLE_DEPLOY_ENV, STACK_ENV: 'prod' });
    expect(config.network.natGateways).toBe('per-az');
    expect(config.endpoint).toMatchObject({ mode: 'realtime', minInstances: 1, maxInstances: 3 });
    expect(config.api).toMatchObject({ cpu: 2048, memory: 4096, minTasks: 2 });
    expect(config.loadBalancer).toMatchObject({ certificateArn: EXAMPLE_DEPLOY_ENV.CERTIFICATE_ARN, requireHttps: true });
    expect(config.api.secrets).toEqual({ WEBHOOK_SECRET: EXAMPLE_DEPLOY_ENV.WEBHOOK_SECRET_ARN });
    expect(config.images.tag).toBe(EXAMPLE_DEPLOY_ENV.IMAGE_TAG);
  });

  it('reads the remote state bucket from TF_STATE_BUCKET', () => {
    expect(loadStackConfig({ TF_STATE_BUCKET: 'acme-tf-state', TF_STATE_REGION: 'eu-west-1' }).stateBackend).toEqual({
      bucket: 'acme-tf-state',
      keyPrefix: 'speech-platform',
      region: 'eu-west-1',
    });
  });

  it('points the endpoint at another model.tar.gz with MODEL_DATA_KEY', () => {
    expect(loadStackConfig({}).endpoint.modelDataKey).toBe('model.tar.gz');
    expect(loadStackConfig({ MODEL_DATA_KEY: 'models/2026-11-24/model.tar.gz' }).endpoint.modelDataKey).toBe(
      'models/2026-11-24/model.tar.gz',
    );
  });

  it('treats blank variables as unset', () => {
    expect(loadStackConfig({ IMAGE_TAG: ' ', CERTIFICATE_ARN: '' }).images.tag).toBe('latest');
  });

  it('names the environments it knows when STACK_ENV is unknown', () => {
    expect(() => loadStackConfig({ STACK_ENV: 'staging' })).toThrow(
      new StackConfigError('staging', ['STACK_ENV: unknown environment "staging"; expected one of dev, prod']),
    );
  });

  it('fails prod without its deploy-time inputs, naming the variables to set', () => {
    expect(() => loadStackConfig({ STACK_ENV: 'prod' })).toThrow(/CERTIFICATE_ARN[\s\S]*IMAGE_TAG/);
  });
});
