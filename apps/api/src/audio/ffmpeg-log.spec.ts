import { FfmpegLog } from './ffmpeg-log';

describe('FfmpegLog', () => {
  it('reads the declared duration and counts error lines across chunk boundaries', () => {
    const log = new FfmpegLog();
    log.write("[info] Input #0, ogg, from 'file:/tmp/x':\n[info]   Dura");
    log.write('tion: 00:01:02.50, start: 0.000000, bitrate: 104 kb/s\n[opus @ 0x1] [error] Error decoding a SILK frame.\n');
    log.write('[error] Error while decoding stream #0:0: Invalid data');
    log.end();
    expect(log.declaredSeconds).toBe(62.5);
    expect(log.errorCount).toBe(2);
    expect(log.errors).toContain('Invalid data');
  });

  it('ignores a metadata tag posing as the duration and N/A durations, and notices estimated ones', () => {
    const log = new FfmpegLog();
    log.write('[info]     Duration: 99:00:00.00\n[info]   Duration: N/A, bitrate: N/A\n[mp3 @ 0x1] [warning] Estimating duration from bitrate, this may be inaccurate\n');
    log.end();
    expect(log.declaredSeconds).toBeUndefined();
    expect(log.durationIsEstimate).toBe(true);
  });

  it('does not count the output muxer\'s timestamp complaints as damage', () => {
    const log = new FfmpegLog();
    log.write('[f32le @ 0x22bb5880] [error] Application provided invalid, non monotonically increasing dts to muxer in stream 0\n');
    log.end();
    expect(log.errorCount).toBe(0);
  });

  it('keeps a bounded number of error lines however many ffmpeg prints', () => {
    const log = new FfmpegLog();
    for (let index = 0; index < 1000; index += 1) log.write(`[error] damaged frame ${index}\n`);
    expect(log.errorCount).toBe(1000);
    expect(log.errorLines.length).toBeLessThanOrEqual(20);
  });
});
