import { MAX_REFERENCE_BYTES, parseDiarizationRequest } from './diarization-options';

const wav = (bytes = 64) => `data:audio/wav;base64,${Buffer.alloc(bytes, 1).toString('base64')}`;
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; details: { param: string } };
  }
  throw new Error('expected a DomainError');
};

describe('parseDiarizationRequest', () => {
  it('is off unless asked, and on with diarize=true, diarized_json or known speakers', () => {
    expect(parseDiarizationRequest({})).toEqual({ enabled: false });
    expect(parseDiarizationRequest({ diarize: 'true', num_speakers: '3' })).toEqual({ enabled: true, speakers: 3, minSpeakers: undefined, maxSpeakers: undefined, knownSpeakers: [] });
    expect(parseDiarizationRequest({}, 'diarized_json').enabled).toBe(true);
    const request = parseDiarizationRequest({ 'known_speaker_names[]': ['agent', 'customer'], 'known_speaker_references[]': [wav(), wav(32)] });
    expect(request.enabled && request.knownSpeakers.map((k) => [k.name, k.mimeType, k.audio.length])).toEqual([['agent', 'audio/wav', 64], ['customer', 'audio/wav', 32]]);
  });

  it.each([
    [{ num_speakers: '2' }, 'num_speakers', 'needs diarize=true'],
    [{ diarize: 'yes' }, 'diarize', 'true or false'],
    [{ diarize: 'true', num_speakers: '0' }, 'num_speakers', '1 to 16'],
    [{ diarize: 'true', max_speakers: '17' }, 'max_speakers', '1 to 16'],
    [{ diarize: 'true', min_speakers: '1.5' }, 'min_speakers', 'whole number'],
    [{ diarize: 'true', num_speakers: '2', max_speakers: '3' }, 'num_speakers', 'not both'],
    [{ diarize: 'true', min_speakers: '4', max_speakers: '2' }, 'min_speakers', 'larger than max_speakers'],
    [{ 'known_speaker_names[]': ['a', 'b'], 'known_speaker_references[]': [wav()] }, 'known_speaker_references', 'pair up'],
    [{ 'known_speaker_names[]': ['a'], 'known_speaker_references[]': ['https://example.com/a.wav'] }, 'known_speaker_references', 'base64 data URL'],
    [{ 'known_speaker_names[]': ['a', 'a'], 'known_speaker_references[]': [wav(), wav()] }, 'known_speaker_names', 'given twice'],
    [{ 'known_speaker_names[]': ['a', 'b', 'c', 'd', 'e'], 'known_speaker_references[]': [wav(), wav(), wav(), wav(), wav()] }, 'known_speaker_names', 'At most 4'],
    [{ 'known_speaker_names[]': ['a'], 'known_speaker_references[]': [wav(MAX_REFERENCE_BYTES + 3)] }, 'known_speaker_references', 'at most 2 MiB'],
  ])('refuses %j with INVALID_OPTION naming %s', (fields, param, text) => {
    const error = errorOf(() => parseDiarizationRequest(fields as Record<string, unknown>));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.details.param).toBe(param);
    expect(error.message).toContain(text);
  });
});
