import type { JobOptions } from '@speech/contracts';
import { parseNativeOptions } from '../pipeline/transcribe-options.parser';
import { optionsOfJob, storedOptions } from './job-options';

describe('job options: the pipeline options ⇄ the stored snake_case form', () => {
  it('round-trips every option, timestamp granularities included', () => {
    const options = parseNativeOptions({
      language: 'fr',
      task: 'translate',
      prompt: 'Grüße',
      temperature: '0.2',
      response_format: 'verbose_json',
      timestamp_granularities: 'word',
      model: 'base',
    });
    const stored = storedOptions(options);
    expect(stored).toEqual({
      model: 'base',
      task: 'translate',
      temperature: 0.2,
      word_timestamps: true,
      response_format: 'verbose_json',
      timestamp_granularities: ['word'],
      language: 'fr',
      prompt: 'Grüße',
    });
    expect(optionsOfJob(JSON.parse(JSON.stringify(stored)) as JobOptions)).toEqual(options);
  });

  it('leaves language and prompt out when not given, as the records always have', () => {
    expect(Object.keys(storedOptions(parseNativeOptions({}))).sort()).toEqual(['response_format', 'task', 'temperature', 'timestamp_granularities', 'word_timestamps']);
  });

  it('keeps VAD off or server_vad in the record, and auto (the default) as nothing', () => {
    const off = parseNativeOptions({ vad: 'false' });
    expect(storedOptions(off).vad).toBe(false);
    expect(optionsOfJob(JSON.parse(JSON.stringify(storedOptions(off))) as JobOptions)).toEqual(off);
    const serverVad = parseNativeOptions({ 'chunking_strategy[type]': 'server_vad', 'chunking_strategy[threshold]': '0.7' });
    expect(storedOptions(serverVad).chunking_strategy).toEqual({ type: 'server_vad', threshold: 0.7, prefix_padding_ms: 300, silence_duration_ms: 200 });
    expect(optionsOfJob(JSON.parse(JSON.stringify(storedOptions(serverVad))) as JobOptions)).toEqual(serverVad);
    expect(storedOptions(parseNativeOptions({ chunking_strategy: 'auto' }))).not.toHaveProperty('chunking_strategy');
    // Records written before VAD existed read back with it on, as a new request without the fields.
    expect(optionsOfJob({ task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' }).vad).toEqual(parseNativeOptions({}).vad);
  });

  it('reads records written before granularities were kept with the granularities their transcripts had', () => {
    const old: JobOptions = { task: 'transcribe', temperature: 0, word_timestamps: true, response_format: 'json' };
    expect(optionsOfJob(old).granularities).toEqual(['word', 'segment']);
    expect(optionsOfJob({ ...old, word_timestamps: false }).granularities).toEqual(['segment']);
    expect(optionsOfJob({ ...old, timestamp_granularities: [] }).granularities).toEqual(['word', 'segment']);
  });

  it('keeps diarization as diarize + the speaker counts, and refuses known speakers (their clips do not fit a record)', () => {
    const options = parseNativeOptions({ diarize: 'true', min_speakers: '2', max_speakers: '4', response_format: 'srt' });
    const stored = storedOptions(options);
    expect(stored).toMatchObject({ diarize: true, min_speakers: 2, max_speakers: 4 });
    expect(stored).not.toHaveProperty('num_speakers');
    expect(optionsOfJob(JSON.parse(JSON.stringify(stored)) as JobOptions)).toEqual(options);
    expect(storedOptions(parseNativeOptions({}))).not.toHaveProperty('diarize');
    const known = parseNativeOptions({ diarize: 'true', known_speaker_names: ['a'], known_speaker_references: ['data:audio/wav;base64,AAAA'] });
    expect(() => storedOptions(known)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: { param: 'known_speaker_names' } }));
  });
});

describe('job options: hallucination_filter', () => {
  it('is stored only when asked for and read back as it was', () => {
    const filtered = storedOptions(parseNativeOptions({ hallucination_filter: 'true' }));
    expect(filtered.hallucination_filter).toBe(true);
    expect(optionsOfJob(filtered).hallucinationFilter).toBe(true);
    const plain = storedOptions(parseNativeOptions({}));
    expect(plain).not.toHaveProperty('hallucination_filter');
    expect(optionsOfJob(plain)).not.toHaveProperty('hallucinationFilter');
  });
});
