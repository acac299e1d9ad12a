import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AudioFormat } from '@speech/contracts';
import { type AudioFixture, FIXTURE_FORMATS, speechFixture } from '@speech/test-support';
import { AudioNormalizer, type DecodedAudio } from '../../src/audio/audio-normalizer';
import { DecodeGate } from '../../src/audio/decode-gate';
import { locateFfmpeg } from '../../src/audio/ffmpeg-locator';
import { StreamSniffer } from '../../src/audio/stream-sniffer';
import { StreamingDecoder } from '../../src/audio/streaming-decode';
import { planUpload } from '../../src/upload/upload-plan';
import { damagedCopy, seededRandom } from '../support/damaged-audio';

/**
 * A decode fed while the upload arrives must answer what a decode of the same bytes from a file answers: the same
 * audio length, the same refusals, the same damage warnings (decode-integrity.ts). Run on every format the upload
 * plan sends through a pipe, with the damaged files of audio-normalizer.medium.spec.ts.
 */
describe('StreamingDecode answers as a file decode does (real ffmpeg)', () => {
  const ffmpeg = locateFfmpeg().path;
  const gate = new DecodeGate({ concurrency: 2, queueSize: 8, tempBudgetBytes: 1024 ** 3 });
  const fromFile = new AudioNormalizer(ffmpeg, gate);
  const fromPipe = new StreamingDecoder(ffmpeg, gate);
  const piped = FIXTURE_FORMATS.filter((format) => planUpload('sync', format).decodeOnArrival);
  let fixture: AudioFixture;
  let dir: string;
  let count = 0;

  beforeAll(() => {
    fixture = speechFixture('Testing the audio path of the speech platform.');
    dir = mkdtempSync(join(tmpdir(), 'streaming-decode-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  type Outcome = { seconds: number; warnings: string[] } | { code: string };
  const outcome = (audio: Promise<DecodedAudio>): Promise<Outcome> =>
    audio.then(
      (decoded) => ({ seconds: Math.round(decoded.durationSeconds * 10) / 10, warnings: decoded.warnings.map((warning) => warning.code) }),
      (error: { code?: string }) => ({ code: error.code ?? String(error) }),
    );

  /** What the upload storage hands the decode: for an mp3, the length its first frame's header declares. */
  const headerSecondsOf = (bytes: Buffer, format: AudioFormat) => {
    const sniffer = new StreamSniffer();
    sniffer.push(bytes);
    return format === 'mp3' ? sniffer.mp3DeclaredSeconds() : undefined;
  };

  async function both(bytes: Buffer, format: AudioFormat, maxSeconds = 60, { withHeaderLength = true } = {}): Promise<{ file: Outcome; pipe: Outcome }> {
    const headerSeconds = withHeaderLength ? headerSecondsOf(bytes, format) : undefined;
    count += 1;
    const input = join(dir, `in-${count}`);
    writeFileSync(input, bytes);
    const file = await outcome(fromFile.normalize({ inputPath: input, format, outputPath: join(dir, `file-${count}.f32`), maxSeconds }));
    const decode = fromPipe.tryStart({ format, outputPath: join(dir, `pipe-${count}.f32`), maxSeconds, headerSeconds })!;
    for (let offset = 0; offset < bytes.length; offset += 16 * 1024) await decode.write(bytes.subarray(offset, offset + 16 * 1024));
    decode.end();
    return { file, pipe: await outcome(decode.result()) };
  }

  const sameAnswer = async (bytes: Buffer, format: AudioFormat, maxSeconds?: number) => {
    const { file, pipe } = await both(bytes, format, maxSeconds);
    expect(pipe).toEqual(file);
    return pipe;
  };

  it('pipes wav, mp3, flac, ogg and webm (m4a goes through the file)', () => {
    expect([...piped].sort()).toEqual(['flac', 'mp3', 'ogg', 'wav', 'webm']);
  });

  // Why the storage reads the mp3's Xing/Info header: from a pipe ffmpeg reports no length for it.
  it('(mp3 without the header length) a mostly garbage MP3 would only be warned about from a pipe', async () => {
    const bytes = damagedCopy(fixture.mp3, 0.1, 0.95);
    expect(headerSecondsOf(bytes, 'mp3')).toBeCloseTo(3.5, 0);
    const { file, pipe } = await both(bytes, 'mp3', 60, { withHeaderLength: false });
    expect(file).toEqual({ code: 'UNDECODABLE_AUDIO' });
    expect(pipe).toMatchObject({ warnings: ['AUDIO_PARTLY_DAMAGED'] });
  });

  it.each(['wav', 'mp3', 'flac', 'ogg', 'webm'] as const)('decodes %s whole, with no warning', async (format) => {
    expect(await sameAnswer(readFileSync(fixture[format]), format)).toMatchObject({ warnings: [] });
  });

  it.each(['wav', 'mp3', 'flac', 'ogg', 'webm'] as const)('refuses %s over the duration limit with AUDIO_TOO_LONG', async (format) => {
    expect(await sameAnswer(readFileSync(fixture[format]), format, 1)).toEqual({ code: 'AUDIO_TOO_LONG' });
  });

  it.each(['mp3', 'flac', 'ogg', 'webm'] as const)('refuses %s whose body is mostly garbage', async (format) => {
    expect(await sameAnswer(damagedCopy(fixture[format], 0.1, 0.95), format)).toEqual({ code: 'UNDECODABLE_AUDIO' });
  });

  it.each([
    ['mp3', 0.45, 0.6],
    ['flac', 0.45, 0.6],
    ['ogg', 0.45, 0.6],
    ['webm', 0.85, 0.9],
  ] as const)('warns on %s with a damaged stretch (%s..%s)', async (format, from, to) => {
    expect(await sameAnswer(damagedCopy(fixture[format], from, to), format)).toMatchObject({ warnings: ['AUDIO_PARTLY_DAMAGED'] });
  });

  it('refuses an Ogg whose header pages are followed by garbage', async () => {
    const ogg = readFileSync(fixture.ogg);
    const firstAudioPage = ogg.indexOf('OggS', ogg.indexOf('OggS', 4) + 4);
    const random = seededRandom('ogg-garbage');
    const bytes = Buffer.concat([ogg.subarray(0, firstAudioPage), Buffer.from(Array.from({ length: 64_000 }, () => Math.floor(random() * 256)))]);
    expect(await sameAnswer(bytes, 'ogg')).toEqual({ code: 'UNDECODABLE_AUDIO' });
  });

  it('warns on a truncated WAV', async () => {
    const wav = readFileSync(fixture.wav);
    const bytes = wav.subarray(0, 44 + Math.floor((wav.length - 44) * 0.7) + 1);
    expect(await sameAnswer(bytes, 'wav')).toMatchObject({ warnings: ['AUDIO_PARTLY_DAMAGED'] });
  });
});
