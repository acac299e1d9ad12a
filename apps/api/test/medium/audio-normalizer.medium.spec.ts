import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AudioFixture, FIXTURE_FORMATS, speechFixture } from '@speech/test-support';
import { AudioNormalizer, type NormalizeRequest } from '../../src/audio/audio-normalizer';
import { DecodeGate } from '../../src/audio/decode-gate';
import { locateFfmpeg } from '../../src/audio/ffmpeg-locator';
import { sniffAudioFile } from '../../src/audio/format-sniffer';
import { damagedCopy, seededRandom } from '../support/damaged-audio';

/** The API's one decode, on the real ffmpeg it will use in production. */
describe('AudioNormalizer with real ffmpeg', () => {
  const ffmpeg = locateFfmpeg();
  const decoder = new AudioNormalizer(ffmpeg.path, new DecodeGate({ concurrency: 2, queueSize: 8, tempBudgetBytes: 1024 ** 3 }));
  // Every call here names the format the sniffer would have decided; wav unless the test says otherwise.
  const normalizer = { normalize: (request: Omit<NormalizeRequest, 'format'> & { format?: NormalizeRequest['format'] }) => decoder.normalize({ format: 'wav', ...request }) };
  let fixture: AudioFixture;
  let dir: string;

  beforeAll(() => {
    fixture = speechFixture('Testing the audio path of the speech platform.');
    dir = mkdtempSync(join(tmpdir(), 'normalizer-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an ffmpeg binary that arrives with npm ci', () => {
    expect(ffmpeg.source).toBe('npm');
  });

  it.each(FIXTURE_FORMATS)('sniffs and decodes %s to 16 kHz mono float32 of the right length', async (format) => {
    const input = fixture[format];
    expect(await sniffAudioFile(input)).toBe(format);
    const outputPath = join(dir, `${format}.f32`);
    const audio = await normalizer.normalize({ inputPath: input, format, outputPath, maxSeconds: 60 });
    expect(audio.warnings).toEqual([]);
    expect(audio.sampleRate).toBe(16000);
    expect(statSync(outputPath).size).toBe(Math.round(audio.durationSeconds * 16000) * 4);
    // Lossy codecs pad a few frames; the length stays within 100 ms of the source.
    expect(Math.abs(audio.durationSeconds - fixture.durationSeconds)).toBeLessThan(0.1);
  });

  it('refuses audio over the limit with AUDIO_TOO_LONG naming the limit', async () => {
    const limit = Math.floor(fixture.durationSeconds) - 1;
    await expect(normalizer.normalize({ inputPath: fixture.flac, format: 'flac', outputPath: join(dir, 'long.f32'), maxSeconds: limit })).rejects.toMatchObject({
      code: 'AUDIO_TOO_LONG',
      message: expect.stringContaining(`${limit} seconds`),
    });
  });

  it('refuses a video-only file: no audio stream', async () => {
    const video = join(dir, 'video-only.mp4');
    execFileSync(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '1', '-pix_fmt', 'yuv420p', '-c:v', 'mpeg4', video]);
    expect(await sniffAudioFile(video)).toBe('m4a');
    await expect(normalizer.normalize({ inputPath: video, format: 'm4a', outputPath: join(dir, 'v.f32'), maxSeconds: 60 })).rejects.toMatchObject({
      code: 'UNDECODABLE_AUDIO',
      message: 'The file contains no audio stream.',
    });
  });

  it('refuses a corrupt body behind a valid header without leaking server paths', async () => {
    const corrupt = join(dir, 'corrupt.flac');
    writeFileSync(corrupt, Buffer.concat([readFileSync(fixture.flac).subarray(0, 42), Buffer.alloc(4096, 0x55)]));
    const error = await normalizer.normalize({ inputPath: corrupt, format: 'flac', outputPath: join(dir, 'c.f32'), maxSeconds: 60 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNDECODABLE_AUDIO' });
    expect((error as Error).message).not.toContain(dir);
  });

  it('refuses a WAV whose header claims a 623 MHz sample rate quickly, without a gigabyte allocation (fuzzer find)', async () => {
    const trap = join(dir, 'trap.wav');
    const bytes = Buffer.from(readFileSync(fixture.wav));
    bytes.writeUInt32LE(623_352_720, 24); // sample rate
    bytes.writeUInt16LE(0x7fff, 32); // block align
    writeFileSync(trap, bytes);
    const started = Date.now();
    await expect(normalizer.normalize({ inputPath: trap, outputPath: join(dir, 'trap.f32'), maxSeconds: 60 })).rejects.toMatchObject({ code: 'UNDECODABLE_AUDIO' });
    // Without -max_alloc the bundled ffmpeg spends ~9 s and 1 GB on this file; with it, well under a second.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills a decode that overruns its deadline and answers UNDECODABLE_AUDIO', async () => {
    const endless = join(dir, 'endless.pcm');
    // Raw PCM from a named pipe nobody writes to: ffmpeg waits for input forever.
    execFileSync('mkfifo', [endless]);
    const error = await normalizer.normalize({ inputPath: endless, outputPath: join(dir, 'e.f32'), maxSeconds: 60, deadlineMs: 500 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNDECODABLE_AUDIO', message: expect.stringContaining('took longer than') });
  });

  it('stops ffmpeg when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('client left');
    controller.abort(reason);
    await expect(normalizer.normalize({ inputPath: fixture.wav, outputPath: join(dir, 'a.f32'), maxSeconds: 60, signal: controller.signal })).rejects.toBe(reason);
  });
});

/** Damaged audio: mostly undecodable → 422; partly damaged → decoded with a warning. */
describe('AudioNormalizer on damaged audio', () => {
  const decoder = new AudioNormalizer(locateFfmpeg().path, new DecodeGate({ concurrency: 2, queueSize: 8, tempBudgetBytes: 1024 ** 3 }));
  let fixture: AudioFixture;
  let dir: string;

  beforeAll(() => {
    fixture = speechFixture('Testing the audio path of the speech platform.');
    dir = mkdtempSync(join(tmpdir(), 'damaged-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The file with bytes [from, to) (fractions of its size) replaced by seeded garbage: headers and index stay. */
  const damaged = (format: (typeof FIXTURE_FORMATS)[number], from: number, to: number): string => {
    const path = join(dir, `${format}-${from}-${to}.${format}`);
    writeFileSync(path, damagedCopy(fixture[format], from, to));
    return path;
  };
  const decode = (path: string, format: (typeof FIXTURE_FORMATS)[number]) =>
    decoder.normalize({ inputPath: path, format, outputPath: `${path}.f32`, maxSeconds: 60 });

  // WAV is left out: PCM has no invalid samples, so garbage decodes as noise (see the truncated-WAV cases below).
  it.each(['mp3', 'm4a', 'flac', 'ogg', 'webm'] as const)('refuses %s whose body is mostly garbage with UNDECODABLE_AUDIO', async (format) => {
    await expect(decode(damaged(format, 0.1, 0.95), format)).rejects.toMatchObject({ code: 'UNDECODABLE_AUDIO', status: 422 });
  });

  // WebM loses the rest of a cluster at the first damaged byte (the fixture is one cluster): damage near its end.
  it.each([
    ['mp3', 0.45, 0.6],
    ['m4a', 0.45, 0.6],
    ['flac', 0.45, 0.6],
    ['ogg', 0.45, 0.6],
    ['webm', 0.85, 0.9],
  ] as const)('decodes %s with a damaged stretch (%s..%s of its bytes), with an AUDIO_PARTLY_DAMAGED warning', async (format, from, to) => {
    const audio = await decode(damaged(format, from, to), format);
    expect(audio.warnings).toEqual([expect.objectContaining({ code: 'AUDIO_PARTLY_DAMAGED', decoded_seconds: expect.any(Number) })]);
  });

  it('refuses an Ogg whose header pages are followed by garbage (the issue\'s empty-200 case)', async () => {
    const ogg = readFileSync(fixture.ogg);
    // Vorbis keeps its three headers in the first pages; the third "OggS" starts the first audio page.
    const firstAudioPage = ogg.indexOf('OggS', ogg.indexOf('OggS', 4) + 4);
    const path = join(dir, 'header-then-garbage.ogg');
    const random = seededRandom('ogg-garbage');
    writeFileSync(path, Buffer.concat([ogg.subarray(0, firstAudioPage), Buffer.from(Array.from({ length: 64_000 }, () => Math.floor(random() * 256)))]));
    await expect(decode(path, 'ogg')).rejects.toMatchObject({ code: 'UNDECODABLE_AUDIO' });
  });

  it('decodes a truncated WAV with a warning (ffmpeg reports its length from the file size; PCM garbage is noise)', async () => {
    const wav = readFileSync(fixture.wav);
    const path = join(dir, 'truncated.wav');
    writeFileSync(path, wav.subarray(0, 44 + Math.floor((wav.length - 44) * 0.7) + 1));
    const audio = await decode(path, 'wav');
    expect(audio.warnings).toEqual([expect.objectContaining({ code: 'AUDIO_PARTLY_DAMAGED', decoder_errors: expect.any(Number) })]);
  });
});

