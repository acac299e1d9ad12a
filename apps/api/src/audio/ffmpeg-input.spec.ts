import { ACCEPTED_AUDIO_FORMATS } from '@speech/contracts';
import { demuxerFor, lockedInputArgs, lockedPipeInputArgs } from './ffmpeg-input';

describe('lockedInputArgs', () => {
  it.each(ACCEPTED_AUDIO_FORMATS)('forces %s to one demuxer, whitelists only it and the file protocol, and opens a file: URL', (format) => {
    const args = lockedInputArgs(format, '/tmp/req-1/upload');
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('-f')).toBe(demuxerFor(format));
    expect(value('-format_whitelist')).toBe(demuxerFor(format));
    expect(value('-protocol_whitelist')).toBe('file');
    expect(args.slice(-2)).toEqual(['-i', 'file:/tmp/req-1/upload']);
  });

  it.each(ACCEPTED_AUDIO_FORMATS)('locks %s read from stdin the same way, with only the pipe protocol allowed', (format) => {
    const args = lockedPipeInputArgs(format);
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('-f')).toBe(demuxerFor(format));
    expect(value('-format_whitelist')).toBe(demuxerFor(format));
    expect(value('-protocol_whitelist')).toBe('pipe');
    expect(args.slice(-2)).toEqual(['-i', 'pipe:0']);
  });

  it('turns off the mov demuxer\'s references to other files', () => {
    const args = lockedInputArgs('m4a', '/x');
    expect(args[args.indexOf('-enable_drefs') + 1]).toBe('0');
  });

  it('never names a demuxer that can open other inputs', () => {
    const demuxers = ACCEPTED_AUDIO_FORMATS.map(demuxerFor);
    expect(demuxers).toEqual(expect.not.arrayContaining(['hls', 'concat', 'image2', 'image2pipe', 'tee', 'dash', 'mpjpeg']));
  });
});
