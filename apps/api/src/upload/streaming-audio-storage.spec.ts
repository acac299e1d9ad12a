import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { speechFixture } from '@speech/test-support';
import type { Request } from 'express';
import { DecodeGate } from '../audio/decode-gate';
import { locateFfmpeg } from '../audio/ffmpeg-locator';
import { StreamingDecoder } from '../audio/streaming-decode';
import type { DomainError } from '../common/domain-error';
import { type ReceivedAudio, StreamingAudioStorage } from './streaming-audio-storage';
import type { UploadUse } from './upload-plan';

/** ffmpeg processes this test process started that are still there (zombies included). */
function ffmpegChildren(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[1]) === process.pid && stat.includes('(ffmpeg)');
      } catch {
        return false;
      }
    })
    .map(Number);
}

const until = async (condition: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('StreamingAudioStorage (real ffmpeg)', () => {
  const clip = () => speechFixture('Streaming the upload straight into the decoder.');
  const ffmpeg = locateFfmpeg().path;
  let dir: string;
  let gate: DecodeGate;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'streaming-storage-'));
    gate = new DecodeGate({ concurrency: 1, queueSize: 4, tempBudgetBytes: 1024 ** 3 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const storageFor = (use: UploadUse, onRefused: (error: DomainError) => void = () => undefined) =>
    new StreamingAudioStorage({
      use,
      filePath: join(dir, 'upload'),
      decodedPath: join(dir, 'audio.f32'),
      maxSeconds: 30,
      decoder: new StreamingDecoder(ffmpeg, gate),
      onRefused,
    });

  const handle = (storage: StreamingAudioStorage, stream: Readable) =>
    new Promise<ReceivedAudio>((resolve, reject) => {
      stream.on('error', () => undefined); // multer listens to the file stream; the storage destroys it with its failure
      storage._handleFile({} as Request, { stream } as Express.Multer.File, (error) => (error ? reject(error) : resolve(storage.received!)));
    });

  const inChunks = (bytes: Buffer, size = 4096) => Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) => bytes.subarray(index * size, (index + 1) * size)));

  it('decodes a sync upload while it arrives, writes no upload file, and frees the decode slot', async () => {
    const wav = readFileSync(clip().wav);
    const received = await handle(storageFor('sync'), inChunks(wav));
    expect(received).toMatchObject({ size: wav.length, format: 'wav', path: undefined });
    const audio = await received.decodedOnArrival!.result();
    expect(audio.durationSeconds).toBeCloseTo(clip().durationSeconds, 1);
    // The same samples a decode of the file writes (clip.f32 is the fixture's own 16 kHz mono decode).
    expect(readFileSync(audio.path).length).toBe(readFileSync(clip().pcm).length);
    expect(existsSync(join(dir, 'upload'))).toBe(false);
    expect(gate.runningCount).toBe(0);
  });

  it('keeps the file as well on /transcribe (sync-or-job): byte for byte what arrived', async () => {
    const flac = readFileSync(clip().flac);
    const received = await handle(storageFor('sync-or-job'), inChunks(flac, 1000));
    expect(received.path).toBe(join(dir, 'upload'));
    expect(readFileSync(received.path!).equals(flac)).toBe(true);
    await expect(received.decodedOnArrival!.result()).resolves.toMatchObject({ durationSeconds: expect.closeTo(clip().durationSeconds, 1) });
  });

  it('hands an mp3 decode the length its Xing/Info header declares (ffmpeg reports none from a pipe)', async () => {
    const received = await handle(storageFor('sync'), inChunks(readFileSync(clip().mp3), 7));
    expect(received).toMatchObject({ format: 'mp3', path: undefined });
    await expect(received.decodedOnArrival!.result()).resolves.toMatchObject({ warnings: [] });
  });

  it('falls back to the file when no decode slot is free now (it never queues while the client sends)', async () => {
    const release = gate.tryAcquire(1)!;
    const received = await handle(storageFor('sync'), inChunks(readFileSync(clip().ogg)));
    release();
    expect(received).toMatchObject({ format: 'ogg', path: join(dir, 'upload'), decodedOnArrival: undefined });
  });

  it('sends m4a through the file, and job uploads too', async () => {
    expect(await handle(storageFor('sync'), inChunks(readFileSync(clip().m4a)))).toMatchObject({ format: 'm4a', decodedOnArrival: undefined, path: join(dir, 'upload') });
    rmSync(join(dir, 'upload'));
    expect(await handle(storageFor('job'), inChunks(readFileSync(clip().webm)))).toMatchObject({ format: 'webm', decodedOnArrival: undefined, path: join(dir, 'upload') });
  });

  it('refuses a non-audio upload from its first bytes, while the rest has not arrived, and writes nothing', async () => {
    const stream = new PassThrough();
    let refused: DomainError | undefined;
    const outcome = handle(storageFor('sync', (error) => (refused = error)), stream).catch((error: unknown) => error);
    stream.write(Buffer.from('These are meeting notes, not audio. '.repeat(4)));
    await until(() => refused !== undefined);
    expect(refused).toMatchObject({ code: 'UNSUPPORTED_MEDIA', status: 415 });
    expect(stream.writableEnded).toBe(false);
    expect(await outcome).toBe(refused);
    expect(readdirSync(dir)).toEqual([]);
    expect(ffmpegChildren()).toEqual([]);
  });

  it.each(['sync', 'sync-or-job'] as const)('a client gone mid-upload (%s) leaves no temp file, no ffmpeg and no slot behind', async (use) => {
    const wav = readFileSync(clip().wav);
    const stream = new PassThrough();
    const outcome = handle(storageFor(use), stream).catch((error: unknown) => error);
    stream.write(wav.subarray(0, wav.length / 2));
    await until(() => ffmpegChildren().length === 1);
    expect(ffmpegChildren()).toHaveLength(1);
    expect(gate.runningCount).toBe(1);
    // What multer does when the request is aborted: busboy destroys the file stream with the error.
    stream.destroy(new Error('Request aborted'));
    expect(await outcome).toMatchObject({ message: 'Request aborted' });
    await until(() => ffmpegChildren().length === 0 && gate.runningCount === 0);
    expect(ffmpegChildren()).toEqual([]);
    expect(gate.runningCount).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('dispose() after a whole upload (the request failed later) kills a decode still running and removes the file', async () => {
    const wav = readFileSync(clip().wav);
    const stream = new PassThrough();
    const storage = storageFor('sync-or-job');
    const outcome = handle(storage, stream);
    stream.end(wav);
    const received = await outcome;
    await storage.dispose();
    await until(() => ffmpegChildren().length === 0);
    expect(ffmpegChildren()).toEqual([]);
    expect(existsSync(join(dir, 'upload'))).toBe(false);
    await received.decodedOnArrival!.result().catch(() => undefined);
    expect(gate.runningCount).toBe(0);
  });
});
