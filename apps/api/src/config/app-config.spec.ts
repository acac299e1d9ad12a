import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the local engine on :8080 with a 100 MiB cap and large-v3-turbo', () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(8080);
    expect(config.upload.maxFileSize).toBe(104_857_600);
    expect(config.engine).toMatchObject({ kind: 'local', local: { model: 'large-v3-turbo', build: 'native', autoDownload: true } });
    expect(config.server.corsOrigins).toEqual([]);
  });

  it('reads the original variable names and the later additions', () => {
    const config = loadConfig({ PORT: '9000', MAX_FILE_SIZE: '1000', WHISPER_MODEL: '/models/x.bin', CORS_ORIGINS: 'https://a.example, https://b.example', WHISPER_AUTO_DOWNLOAD: 'false' });
    expect(config.server.port).toBe(9000);
    expect(config.upload.maxFileSize).toBe(1000);
    expect(config.server.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.engine).toMatchObject({ kind: 'local', local: { model: '/models/x.bin', autoDownload: false } });
  });

  it('reads the local beam width: greedy (1) by default, 1..16 accepted', () => {
    expect(loadConfig({}).engine).toMatchObject({ local: { beamSize: 1 } });
    expect(loadConfig({ WHISPER_BEAM_SIZE: '5' }).engine).toMatchObject({ local: { beamSize: 5 } });
    expect(() => loadConfig({ WHISPER_BEAM_SIZE: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ WHISPER_BEAM_SIZE: '17' })).toThrow(ConfigError);
  });

  it('serves WHISPER_MODEL plus WHISPER_MODELS (each once) and translates on a served, multilingual model', () => {
    expect(loadConfig({}).engine).toMatchObject({ local: { models: ['large-v3-turbo'], idleUnloadSeconds: 600, memoryBudgetBytes: 0 } });
    expect(loadConfig({ WHISPER_MODEL_IDLE_UNLOAD_SECONDS: '0', WHISPER_MODEL_MEMORY_BUDGET_MB: '2048' }).engine).toMatchObject({
      local: { idleUnloadSeconds: 0, memoryBudgetBytes: 2048 * 1024 * 1024 },
    });
    expect(() => loadConfig({ WHISPER_MODEL_MEMORY_BUDGET_MB: '-1' })).toThrow(ConfigError);
    const config = loadConfig({ WHISPER_MODEL: 'tiny.en', WHISPER_MODELS: ' medium , tiny.en,,base', WHISPER_TRANSLATION_MODEL: 'medium' });
    expect(config.engine).toMatchObject({ local: { model: 'tiny.en', models: ['tiny.en', 'medium', 'base'], translationModel: 'medium' } });
    expect(() => loadConfig({ WHISPER_TRANSLATION_MODEL: 'medium' })).toThrow(/WHISPER_TRANSLATION_MODEL/);
    expect(() => loadConfig({ WHISPER_MODELS: 'small.en', WHISPER_TRANSLATION_MODEL: 'small.en' })).toThrow(/cannot translate/);
  });

  it('requires the SageMaker keys only when ENGINE=sagemaker', () => {
    expect(() => loadConfig({ SAGEMAKER_ENDPOINT_NAME: '' })).toThrow(ConfigError);
    expect(loadConfig({ AWS_REGION: 'eu-west-1' }).engine.kind).toBe('local');
    try {
      loadConfig({ ENGINE: 'sagemaker' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'SAGEMAKER_ENDPOINT_NAME: is required when ENGINE=sagemaker',
        'AWS_REGION: is required when ENGINE=sagemaker',
      ]);
    }
    expect(loadConfig({ ENGINE: 'sagemaker', SAGEMAKER_ENDPOINT_NAME: 'whisper', AWS_REGION: 'us-east-1' }).engine).toEqual({
      kind: 'sagemaker',
      sagemaker: { region: 'us-east-1', mode: 'auto', realtimeEndpoint: 'whisper', maxAttempts: 4, forcePathStyle: false },
      models: new Map(),
    });
  });

  it('lists every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', ENGINE: 'gpu', MAX_FILE_SIZE: '-1' })).toThrow(/PORT[\s\S]*MAX_FILE_SIZE[\s\S]*ENGINE|PORT[\s\S]*ENGINE[\s\S]*MAX_FILE_SIZE/);
  });

  it('maps further models to their own model container (http) or endpoint/variant (sagemaker), and pins download SHA-1s', () => {
    expect(loadConfig({ ENGINE: 'http', MODEL_SERVER_URL: 'http://m:8080', MODEL_SERVER_MODELS: 'tiny.en=http://tiny:8080, large=http://big:8080' }).engine).toEqual({
      kind: 'http',
      http: { url: 'http://m:8080', models: new Map([['tiny.en', 'http://tiny:8080'], ['large', 'http://big:8080']]) },
    });
    const sm = loadConfig({ ENGINE: 'sagemaker', SAGEMAKER_ENDPOINT_NAME: 'whisper', AWS_REGION: 'us-east-1', SAGEMAKER_MODELS: 'tiny.en=small-ep/variant-a,large=big-ep' });
    expect(sm.engine.kind === 'sagemaker' && [...sm.engine.models]).toEqual([
      ['tiny.en', { endpoint: 'small-ep', variant: 'variant-a' }],
      ['large', { endpoint: 'big-ep' }],
    ]);
    expect(() => loadConfig({ ENGINE: 'http', MODEL_SERVER_URL: 'http://m:8080', MODEL_SERVER_MODELS: 'tiny.en' })).toThrow(/MODEL_SERVER_MODELS.*name=value/);
    expect(() => loadConfig({ ENGINE: 'http', MODEL_SERVER_URL: 'http://m:8080', MODEL_SERVER_MODELS: 'a=not a url' })).toThrow(/not a URL/);
    expect(() => loadConfig({ MODEL_DOWNLOAD_SHA1: 'tiny.en=abc' })).toThrow(/40 hex digits/);
    const local = loadConfig({ MODEL_DOWNLOAD_SHA1: 'tiny.en=D7302768F2E0E79E13C294E2C7E6C6DE8791816E', MODEL_DOWNLOAD_BASE_URL: 'http://mirror/models', ENGINE_MODEL_CONCURRENCY: '2' });
    expect(local.engine).toMatchObject({ local: { downloadBaseUrl: 'http://mirror/models', downloadConcurrency: 2, downloadSha1: new Map([['tiny.en', 'd7302768f2e0e79e13c294e2c7e6c6de8791816e']]) } });
    expect(local.dispatch.concurrency).toBe(2);
    expect(loadConfig({ ENGINE_CONCURRENCY: '3' }).dispatch.concurrency).toBe(3);
  });
});
