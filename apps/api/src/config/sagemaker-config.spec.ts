import { ConfigError, loadConfig } from './app-config';

const base = { ENGINE: 'sagemaker', SAGEMAKER_ENDPOINT_NAME: 'whisper', AWS_REGION: 'eu-west-1' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
}

function section(env: Record<string, string>) {
  const engine = loadConfig(env).engine;
  if (engine.kind !== 'sagemaker') throw new Error('expected the sagemaker section');
  return engine.sagemaker;
}

describe('sagemaker config', () => {
  it('defaults to auto with a real-time route only, 4 attempts and no endpoint overrides', () => {
    expect(section(base)).toEqual({ region: 'eu-west-1', mode: 'auto', realtimeEndpoint: 'whisper', maxAttempts: 4, forcePathStyle: false });
  });

  it('auto with a bucket and an async endpoint adds the async route', () => {
    expect(section({ ...base, SAGEMAKER_ASYNC_BUCKET: 'audio', SAGEMAKER_ASYNC_ENDPOINT_NAME: 'whisper-async', SAGEMAKER_ASYNC_PREFIX: '/sm/async/' }).async).toEqual({
      endpointName: 'whisper-async',
      bucket: 'audio',
      prefix: 'sm/async',
      invocationTimeoutSeconds: 3600,
    });
  });

  it('async mode uses SAGEMAKER_ENDPOINT_NAME as the async endpoint and needs the bucket', () => {
    expect(problems({ ...base, SAGEMAKER_MODE: 'async' })).toEqual(['SAGEMAKER_ASYNC_BUCKET: is required when SAGEMAKER_MODE=async']);
    const async = section({ ...base, SAGEMAKER_MODE: 'async', SAGEMAKER_ASYNC_BUCKET: 'audio', SAGEMAKER_ASYNC_TIMEOUT_SECONDS: '900' });
    expect(async.realtimeEndpoint).toBeUndefined();
    expect(async.async).toEqual({ endpointName: 'whisper', bucket: 'audio', prefix: 'sagemaker-async', invocationTimeoutSeconds: 900 });
  });

  it('auto asks for the bucket and the async endpoint together', () => {
    expect(problems({ ...base, SAGEMAKER_ASYNC_BUCKET: 'audio' })).toEqual([
      expect.stringMatching(/^SAGEMAKER_ASYNC_ENDPOINT_NAME: is required for the async route of SAGEMAKER_MODE=auto/),
    ]);
    expect(problems({ ...base, SAGEMAKER_ASYNC_ENDPOINT_NAME: 'whisper-async' })).toEqual([expect.stringMatching(/^SAGEMAKER_ASYNC_BUCKET: is required/)]);
  });

  it('realtime ignores async settings; endpoint overrides switch S3 to path-style', () => {
    const realtime = section({
      ...base,
      SAGEMAKER_MODE: 'realtime',
      SAGEMAKER_ASYNC_BUCKET: 'audio',
      SAGEMAKER_MAX_ATTEMPTS: '2',
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://127.0.0.1:9001',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9002',
    });
    expect(realtime).toEqual({
      region: 'eu-west-1',
      mode: 'realtime',
      realtimeEndpoint: 'whisper',
      maxAttempts: 2,
      runtimeEndpointUrl: 'http://127.0.0.1:9001',
      s3EndpointUrl: 'http://127.0.0.1:9002',
      forcePathStyle: true,
    });
  });

  it('rejects bad values and asks nothing of other engines', () => {
    expect(problems({ ...base, SAGEMAKER_MODE: 'serverless', SAGEMAKER_ASYNC_TIMEOUT_SECONDS: '7200' }).join('\n')).toMatch(/SAGEMAKER_MODE[\s\S]*SAGEMAKER_ASYNC_TIMEOUT_SECONDS|SAGEMAKER_ASYNC_TIMEOUT_SECONDS[\s\S]*SAGEMAKER_MODE/);
    expect(problems({ SAGEMAKER_MODE: 'async' })).toEqual([]);
  });
});
