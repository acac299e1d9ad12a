import { isDomainError } from '../common/domain-error';
import { isEnglishOnly, modelIdOf, ModelRegistry, quantizationOf, type ServedModel } from './model-registry';

const model = (id: string): ServedModel => ({
  id,
  engine: 'local',
  created: 1,
  installed: true,
  englishOnly: isEnglishOnly(id),
  translateCapable: !isEnglishOnly(id),
  sizeBytes: 1,
  quantization: quantizationOf(id),
});

describe('ModelRegistry', () => {
  const registry = new ModelRegistry([model('large-v3-turbo-q5_0'), model('tiny.en'), model('medium')], 'large-v3-turbo-q5_0', 'medium');

  it('gives the default for no name and for whisper-1, and the translation model for a translation', () => {
    expect(registry.resolve(undefined, 'transcribe').id).toBe('large-v3-turbo-q5_0');
    expect(registry.resolve('whisper-1', 'transcribe').id).toBe('large-v3-turbo-q5_0');
    expect(registry.resolve('whisper-1', 'translate').id).toBe('medium');
    // Clients written for OpenAI name its other models; they run on the default too.
    expect(registry.resolve('gpt-4o-transcribe-diarize', 'transcribe').id).toBe('large-v3-turbo-q5_0');
    expect(registry.resolve('gpt-4o-mini-transcribe', 'translate').id).toBe('medium');
    expect(registry.resolve(undefined, 'translate').id).toBe('medium');
  });

  it('gives a named model for either task when it can do it', () => {
    expect(registry.resolve('tiny.en', 'transcribe').id).toBe('tiny.en');
    expect(registry.resolve('large-v3-turbo-q5_0', 'translate').id).toBe('large-v3-turbo-q5_0');
  });

  it('refuses an unknown model with INVALID_OPTION naming the param and the valid names', () => {
    const error = catchError(() => registry.resolve('large-v9-imaginary', 'transcribe'));
    expect(error).toMatchObject({ code: 'INVALID_OPTION', details: { param: 'model', valid: ['whisper-1', 'large-v3-turbo-q5_0', 'tiny.en', 'medium'] } });
    expect(error.message).toContain('large-v9-imaginary');
  });

  it('refuses a translation on an English-only model, naming the ones that can', () => {
    const error = catchError(() => registry.resolve('tiny.en', 'translate'));
    expect(error).toMatchObject({ code: 'INVALID_OPTION', details: { param: 'model', valid: ['whisper-1', 'large-v3-turbo-q5_0', 'medium'] } });
  });

  it('will not be built with a default or translation model it does not serve', () => {
    expect(() => new ModelRegistry([model('tiny')], 'base')).toThrow('"base"');
    expect(() => new ModelRegistry([model('tiny')], 'tiny', 'base')).toThrow('"base"');
  });
});

describe('model names', () => {
  it.each([
    ['large-v3-turbo', 'large-v3-turbo'],
    ['/models/ggml-tiny.en-q5_1.bin', 'tiny.en-q5_1'],
    ['./x/custom.bin', 'custom'],
  ])('id of %s is %s', (source, id) => expect(modelIdOf(source)).toBe(id));

  it.each([
    ['large-v3-turbo', 'f16'],
    ['large-v3-turbo-q5_0', 'q5_0'],
    ['tiny.en-q8_0', 'q8_0'],
  ])('quantization of %s is %s', (id, q) => expect(quantizationOf(id)).toBe(q));

  it('knows English-only models by .en', () => {
    expect(['tiny.en', 'base.en-q5_1', 'tiny', 'large-v3', 'medium-q5_0'].map(isEnglishOnly)).toEqual([true, true, false, false, false]);
  });
});

function catchError(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}
