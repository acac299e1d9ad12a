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
    });
  });

  it('lists every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', ENGINE: 'gpu', MAX_FILE_SIZE: '-1' })).toThrow(/PORT[\s\S]*MAX_FILE_SIZE[\s\S]*ENGINE|PORT[\s\S]*ENGINE[\s\S]*MAX_FILE_SIZE/);
  });
});
