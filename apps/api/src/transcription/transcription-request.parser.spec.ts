import { DomainError } from '../common/domain-error';
import { MAX_PROMPT_CHARS, parseNativeRequest, parseOpenAiRequest } from './transcription-request.parser';

function invalidParam(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_OPTION');
    return (error as DomainError).details['param'] as string;
  }
  throw new Error('expected INVALID_OPTION');
}

describe('parseNativeRequest', () => {
  it('applies defaults: transcribe, json, temperature 0, detect language, segment granularity', () => {
    expect(parseNativeRequest({})).toEqual({
      options: { task: 'transcribe', temperature: 0, wordTimestamps: false },
      responseFormat: 'json',
      granularities: ['segment'],
    });
  });

  it('reads every option', () => {
    const parsed = parseNativeRequest({
      language: 'DE',
      task: 'translate',
      prompt: 'Kubernetes, Grafana',
      temperature: '0.4',
      response_format: 'srt',
      timestamp_granularities: ['word', 'segment'],
    });
    expect(parsed).toEqual({
      options: { task: 'translate', temperature: 0.4, wordTimestamps: true, language: 'de', prompt: 'Kubernetes, Grafana' },
      responseFormat: 'srt',
      granularities: ['word', 'segment'],
    });
  });

  it('accepts word_timestamps=true and comma-separated granularities', () => {
    expect(parseNativeRequest({ word_timestamps: 'true' }).options.wordTimestamps).toBe(true);
    expect(parseNativeRequest({ timestamp_granularities: 'word,segment' }).granularities).toEqual(['word', 'segment']);
  });

  it('treats language "auto" as detection', () => {
    expect(parseNativeRequest({ language: 'auto' }).options.language).toBeUndefined();
  });

  it.each([
    [{ language: 'xx' }, 'language'],
    [{ task: 'summarize' }, 'task'],
    [{ response_format: 'docx' }, 'response_format'],
    [{ temperature: '1.5' }, 'temperature'],
    [{ temperature: 'hot' }, 'temperature'],
    [{ timestamp_granularities: ['char'] }, 'timestamp_granularities'],
    [{ word_timestamps: 'maybe' }, 'word_timestamps'],
    [{ prompt: 'x'.repeat(MAX_PROMPT_CHARS + 1) }, 'prompt'],
    [{ language: ['en', 'de'] }, 'language'],
  ])('refuses %j naming the parameter', (fields, param) => {
    expect(invalidParam(() => parseNativeRequest(fields))).toBe(param);
  });
});

describe('parseOpenAiRequest', () => {
  it('fixes the task from the route and ignores `model`', () => {
    const parsed = parseOpenAiRequest({ model: 'whisper-1', response_format: 'verbose_json', 'timestamp_granularities[]': 'word' }, 'translate');
    expect(parsed.options).toEqual({ task: 'translate', temperature: 0, wordTimestamps: true });
    expect(parsed.granularities).toEqual(['word']);
  });

  it('refuses streaming, which this server does not offer', () => {
    expect(invalidParam(() => parseOpenAiRequest({ stream: 'true' }, 'transcribe'))).toBe('stream');
  });
});
