import { acceptAttribute, checkFile } from './file-check';

const limits = { maxFileSizeBytes: 1000, acceptedFormats: ['mp3', 'wav', 'm4a', 'flac', 'ogg', 'webm'] };
const file = (name: string, type: string, size = 10) => new File([new Uint8Array(size)], name, { type });

describe('checkFile', () => {
  it.each([
    ['talk.mp3', 'audio/mpeg'],
    ['talk.WAV', ''],
    ['talk.opus', 'audio/ogg'],
    ['clip.mp4', 'video/mp4'],
    ['voice-memo', 'audio/x-caf'], // audio the API may still know: it decides by content
    ['recording', ''], // says nothing: the API decides
  ])('lets %s (%s) through', (name, type) => {
    expect(checkFile(file(name, type), limits)).toBeUndefined();
  });

  it.each([
    ['notes.txt', 'text/plain'],
    ['photo.png', 'image/png'],
    ['notes.txt', ''],
    ['talk.aiff', ''],
  ])('refuses %s (%s) as not audio, naming the accepted formats', (name, type) => {
    expect(checkFile(file(name, type), limits)).toEqual({ reason: 'not-audio', formats: limits.acceptedFormats });
  });

  it('refuses a format the API does not list', () => {
    expect(checkFile(file('talk.flac', 'audio/flac'), { acceptedFormats: ['mp3'] })).toMatchObject({ reason: 'not-audio' });
  });

  it('refuses files over the size limit from /status, and empty files', () => {
    expect(checkFile(file('big.wav', 'audio/wav', 1001), limits)).toEqual({ reason: 'too-large', size: 1001, limit: 1000 });
    expect(checkFile(file('big.wav', 'audio/wav', 1001), { acceptedFormats: ['wav'] })).toBeUndefined();
    expect(checkFile(file('empty.wav', 'audio/wav', 0), limits)).toEqual({ reason: 'empty' });
  });

  it('builds the picker filter from the accepted formats', () => {
    expect(acceptAttribute(['wav', 'flac'])).toBe('.wav,.wave,.flac,audio/*');
  });
});
