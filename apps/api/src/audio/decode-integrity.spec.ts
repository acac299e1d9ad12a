import { type DecodeOutcome, judgeDecode } from './decode-integrity';

const outcome = (overrides: Partial<DecodeOutcome>): DecodeOutcome => ({
  format: 'flac',
  inputBytes: 100_000,
  decodedSeconds: 10,
  declaredSeconds: 10,
  decoderErrors: 0,
  decodeCapSeconds: 1801,
  ...overrides,
});

describe('judgeDecode', () => {
  it('passes a clean decode without warnings', () => {
    expect(judgeDecode(outcome({}))).toEqual([]);
  });

  it('refuses with UNDECODABLE_AUDIO when less than half of the declared length decodes', () => {
    expect(() => judgeDecode(outcome({ decodedSeconds: 4.9 }))).toThrow(expect.objectContaining({ code: 'UNDECODABLE_AUDIO', details: { decoded_seconds: 4.9, expected_seconds: 10 } }));
  });

  it('warns when between half and 90 % decodes, or when the decoder reported errors', () => {
    expect(judgeDecode(outcome({ decodedSeconds: 6 }))).toEqual([expect.objectContaining({ code: 'AUDIO_PARTLY_DAMAGED', decoded_seconds: 6, expected_seconds: 10, decoder_errors: 0 })]);
    expect(judgeDecode(outcome({ decoderErrors: 3 }))).toEqual([expect.objectContaining({ code: 'AUDIO_PARTLY_DAMAGED', decoder_errors: 3 })]);
  });

  it('without a declared length, expects at least what the size allows at the format\'s highest bitrate', () => {
    // 64,000 bytes of Ogg at 512 kbit/s hold at least 1 s.
    expect(() => judgeDecode(outcome({ format: 'ogg', inputBytes: 64_000, declaredSeconds: undefined, decodedSeconds: 0.4 }))).toThrow(expect.objectContaining({ code: 'UNDECODABLE_AUDIO' }));
    expect(judgeDecode(outcome({ format: 'ogg', inputBytes: 64_000, declaredSeconds: undefined, decodedSeconds: 5 }))).toEqual([]);
  });

  it('judges only what the decode limit let it read', () => {
    expect(judgeDecode(outcome({ declaredSeconds: 7200, decodedSeconds: 1801, decodeCapSeconds: 1801 }))).toEqual([]);
  });

  it('has no expectation for WAV without a declared length (PCM has no invalid samples)', () => {
    expect(judgeDecode(outcome({ format: 'wav', declaredSeconds: undefined, decodedSeconds: 0.2 }))).toEqual([]);
  });
});
