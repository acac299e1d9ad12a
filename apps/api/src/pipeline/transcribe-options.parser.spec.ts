import { DomainError } from '../common/domain-error';
import { AUTO_VAD } from '../vad/vad-options';
import { MAX_PROMPT_CHARS, parseNativeOptions, parseOpenAiOptions, streamRequested } from './transcribe-options.parser';

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

describe('parseNativeOptions', () => {
  it('applies defaults: transcribe, json, temperature 0, detect language, segment granularity', () => {
    expect(parseNativeOptions({})).toEqual({ task: 'transcribe', temperature: 0, wordTimestamps: false, responseFormat: 'json', granularities: ['segment'], vad: AUTO_VAD });
  });

  it('reads every option', () => {
    const parsed = parseNativeOptions({
      language: 'DE',
      task: 'translate',
      prompt: 'Kubernetes, Grafana',
      temperature: '0.4',
      response_format: 'srt',
      timestamp_granularities: ['word', 'segment'],
    });
    expect(parsed).toEqual({
      task: 'translate',
      temperature: 0.4,
      wordTimestamps: true,
      language: 'de',
      prompt: 'Kubernetes, Grafana',
      responseFormat: 'srt',
      granularities: ['word', 'segment'],
      vad: AUTO_VAD,
    });
  });

  it('reads vad and chunking_strategy on both routes (the rules themselves: vad/vad-options.spec.ts)', () => {
    expect(parseNativeOptions({ vad: 'false' }).vad).toEqual({ enabled: false });
    const serverVad = { type: 'server_vad', threshold: 0.6, prefix_padding_ms: 100, silence_duration_ms: 700 };
    const parsed = parseOpenAiOptions({ chunking_strategy: JSON.stringify(serverVad) }, 'transcribe').vad;
    expect(parsed).toMatchObject({ enabled: true, strategy: 'server_vad', regions: { threshold: 0.6, speechPadMs: 100, minSilenceMs: 700 } });
    expect(invalidParam(() => parseOpenAiOptions({ vad: 'false', chunking_strategy: 'auto' }, 'transcribe'))).toBe('vad');
  });

  it('accepts word_timestamps=true and comma-separated granularities', () => {
    expect(parseNativeOptions({ word_timestamps: 'true' }).wordTimestamps).toBe(true);
    expect(parseNativeOptions({ timestamp_granularities: 'word,segment' }).granularities).toEqual(['word', 'segment']);
  });

  it('keeps the granularities asked for; word_timestamps alone lists words and segments', () => {
    expect(parseNativeOptions({ timestamp_granularities: 'word' })).toMatchObject({ wordTimestamps: true, granularities: ['word'] });
    expect(parseNativeOptions({ word_timestamps: 'true' }).granularities).toEqual(['word', 'segment']);
    expect(parseNativeOptions({ word_timestamps: 'true', timestamp_granularities: 'segment' }).granularities).toEqual(['segment']);
  });

  it('treats language "auto" as detection', () => {
    expect(parseNativeOptions({ language: 'auto' }).language).toBeUndefined();
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
    expect(invalidParam(() => parseNativeOptions(fields))).toBe(param);
  });
});

describe('parseOpenAiOptions', () => {
  it('fixes the task from the route and keeps `model` as sent, trimmed (the dispatch stage resolves it)', () => {
    const parsed = parseOpenAiOptions({ model: ' whisper-1 ', response_format: 'verbose_json', 'timestamp_granularities[]': 'word' }, 'translate');
    expect(parsed).toEqual({ model: 'whisper-1', task: 'translate', temperature: 0, wordTimestamps: true, responseFormat: 'verbose_json', granularities: ['word'], vad: AUTO_VAD });
  });

  it('leaves `model` out when it is empty, and refuses it sent twice', () => {
    expect(parseOpenAiOptions({ model: '' }, 'transcribe')).not.toHaveProperty('model');
    expect(invalidParam(() => parseOpenAiOptions({ model: ['a', 'b'] }, 'transcribe'))).toBe('model');
  });

});

describe('streamRequested', () => {
  const options = (fields: Record<string, unknown>, task: 'transcribe' | 'translate' = 'transcribe') => parseOpenAiOptions(fields, task);

  it('reads stream as a boolean; absent or false means one body', () => {
    expect(streamRequested({ stream: 'true' }, options({}))).toBe(true);
    expect(streamRequested({ stream: 'true', response_format: 'text' }, options({ response_format: 'text' }))).toBe(true);
    expect(streamRequested({}, options({}))).toBe(false);
    expect(streamRequested({ stream: 'false' }, options({}))).toBe(false);
  });

  it.each<[Record<string, string>, 'transcribe' | 'translate']>([
    [{ stream: 'maybe' }, 'transcribe'],
    [{ stream: 'true', response_format: 'srt' }, 'transcribe'],
    [{ stream: 'true', response_format: 'verbose_json' }, 'transcribe'],
    [{ stream: 'true' }, 'translate'],
  ])('refuses %j on %s, naming `stream`', (fields, task) => {
    expect(invalidParam(() => streamRequested(fields, options(fields, task)))).toBe('stream');
  });
});

describe('diarization options', () => {
  it('diarize=true with a count on native routes; word timestamps stay as asked', () => {
    const parsed = parseNativeOptions({ diarize: 'true', num_speakers: '2', response_format: 'verbose_json' });
    expect(parsed.diarization).toEqual({ enabled: true, speakers: 2, minSpeakers: undefined, maxSpeakers: undefined, knownSpeakers: [] });
    expect(parsed.wordTimestamps).toBe(false);
    expect(parseNativeOptions({}).diarization).toBeUndefined();
  });

  it('response_format=diarized_json turns diarization on, on /v1 as OpenAI does', () => {
    expect(parseOpenAiOptions({ response_format: 'diarized_json', chunking_strategy: 'auto' }, 'transcribe').diarization?.enabled).toBe(true);
  });

  it('refuses diarized_json for translations and counts without diarize, naming the field', () => {
    expect(invalidParam(() => parseOpenAiOptions({ response_format: 'diarized_json' }, 'translate'))).toBe('response_format');
    expect(invalidParam(() => parseNativeOptions({ num_speakers: '2' }))).toBe('num_speakers');
    expect(invalidParam(() => parseNativeOptions({ diarize: 'true', min_speakers: '3', max_speakers: '2' }))).toBe('min_speakers');
    expect(invalidParam(() => parseNativeOptions({ diarize: 'yes please' }))).toBe('diarize');
  });
});

describe('hallucination_filter', () => {
  it('is off unless asked for, on both routes, and refuses anything but a boolean', () => {
    expect(parseNativeOptions({}).hallucinationFilter).toBeUndefined();
    expect(parseNativeOptions({ hallucination_filter: 'true' }).hallucinationFilter).toBe(true);
    expect(parseOpenAiOptions({ hallucination_filter: '1' }, 'transcribe').hallucinationFilter).toBe(true);
    expect(parseNativeOptions({ hallucination_filter: 'false' }).hallucinationFilter).toBeUndefined();
    expect(invalidParam(() => parseNativeOptions({ hallucination_filter: 'maybe' }))).toBe('hallucination_filter');
  });
});
