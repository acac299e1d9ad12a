import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MPEG_PROBE_BYTES, sniffAudioFile } from './format-sniffer';
import { StreamSniffer } from './stream-sniffer';

const ascii = (text: string) => Buffer.from(text, 'latin1');

/** An MPEG-1 Layer III stream: 128 kbit/s, 44.1 kHz frames of 417 bytes. */
const mpegFrames = (count: number) => {
  const frames = Buffer.alloc(417 * count);
  for (let index = 0; index < count; index += 1) frames.set([0xff, 0xfb, 0x90, 0x64], index * 417);
  return frames;
};

/** An ID3v2.4 tag header announcing `size` bytes of tag body (syncsafe). */
const id3 = (size: number, body = Buffer.alloc(size, 0x20)) =>
  Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]), body]);

/** Uploads of every kind the file sniffer must judge, smuggling payloads and edge lengths included. */
const corpus: Record<string, Buffer> = {
  wav: Buffer.concat([ascii('RIFF'), Buffer.alloc(4), ascii('WAVEfmt '), Buffer.alloc(200, 1)]),
  rf64: Buffer.concat([ascii('RF64'), Buffer.alloc(4), ascii('WAVE'), Buffer.alloc(100)]),
  flac: Buffer.concat([ascii('fLaC'), Buffer.alloc(300, 7)]),
  ogg: Buffer.concat([ascii('OggS'), Buffer.alloc(300, 2)]),
  webm: Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(300, 3)]),
  m4a: Buffer.concat([Buffer.from([0, 0, 0, 0x20]), ascii('ftypM4A '), Buffer.alloc(300)]),
  mp3: mpegFrames(12),
  'mp3 behind an ID3 tag': Buffer.concat([id3(700), mpegFrames(12)]),
  'mp3 behind a short ID3 tag (its frames start inside the first 64 bytes)': Buffer.concat([id3(25), mpegFrames(12)]),
  'mp3 behind an ID3 tag longer than the sniff window, frames cut short': Buffer.concat([id3(5000), mpegFrames(2)]),
  'ID3 + HLS playlist (the local-file-read payload)': Buffer.concat([id3(20), ascii('#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n')]),
  'ID3 + ffconcat list': Buffer.concat([id3(8), ascii('ffconcat version 1.0\nfile upload\n'.repeat(20))]),
  'ID3 + a WAV header': Buffer.concat([id3(30), ascii('RIFF'), Buffer.alloc(4), ascii('WAVE'), Buffer.alloc(MPEG_PROBE_BYTES)]),
  'ID3 tag alone, nothing behind it': id3(40),
  'ID3 tag whose body runs past the end': id3(100).subarray(0, 60),
  'a tiny ID3 tag and frames, all within 64 bytes': Buffer.concat([id3(0), Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(20)]),
  'a lone MPEG header then garbage': Buffer.concat([mpegFrames(1), Buffer.alloc(600, 0x55)]),
  PNG: Buffer.concat([Buffer.from([0x89]), ascii('PNG\r\n\x1a\n'), Buffer.alloc(200)]),
  text: ascii('These are meeting notes, not audio.\n'.repeat(20)),
  'three bytes': Buffer.from([0xff, 0xfb, 0x90]),
  'AVI (RIFF, not WAVE)': Buffer.concat([ascii('RIFF'), Buffer.alloc(4), ascii('AVI LIST'), Buffer.alloc(100)]),
};

/** `bytes` cut into chunks of the given sizes (cycled), the way a socket may deliver them. */
function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0, index = 0; offset < bytes.length; index += 1) {
    const size = sizes[index % sizes.length]!;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

function sniffStream(chunks: Buffer[]): { format: string | undefined; decidedAt: number | undefined } {
  const sniffer = new StreamSniffer();
  let received = 0;
  for (const chunk of chunks) {
    received += chunk.length;
    const verdict = sniffer.push(chunk);
    if (verdict.kind !== 'pending') return { format: verdict.kind === 'format' ? verdict.format : undefined, decidedAt: received };
  }
  const verdict = sniffer.end();
  return { format: verdict.kind === 'format' ? verdict.format : undefined, decidedAt: undefined };
}

describe('StreamSniffer', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'stream-sniffer-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const splits: Array<[string, number[]]> = [
    ['one chunk', [1 << 20]],
    ['single bytes', [1]],
    ['odd sizes', [3, 61, 7, 1024, 2]],
    ['64 KiB socket reads', [65536]],
  ];

  it.each(Object.keys(corpus))('decides %s exactly as the file sniffer does, however the bytes are split', async (name) => {
    const bytes = corpus[name]!;
    const path = join(dir, name.replace(/\W+/g, '-'));
    writeFileSync(path, bytes);
    const expected = await sniffAudioFile(path);
    for (const [, sizes] of splits) expect(sniffStream(chunked(bytes, sizes)).format).toBe(expected);
  });

  it('decides from the first 64 bytes, long before the end of a large upload', () => {
    const upload = Buffer.concat([corpus['text']!, Buffer.alloc(1 << 20)]);
    expect(sniffStream(chunked(upload, [16]))).toEqual({ format: undefined, decidedAt: 64 });
    const wav = Buffer.concat([corpus['wav']!, Buffer.alloc(1 << 20)]);
    expect(sniffStream(chunked(wav, [16]))).toEqual({ format: 'wav', decidedAt: 64 });
  });

  it('behind an ID3 tag, decides once the first frames past the tag are in (and keeps only those bytes)', () => {
    const upload = Buffer.concat([id3(100_000), mpegFrames(20), Buffer.alloc(1 << 20)]);
    const { format, decidedAt } = sniffStream(chunked(upload, [4096]));
    expect(format).toBe('mp3');
    expect(decidedAt).toBeGreaterThanOrEqual(10 + 100_000 + MPEG_PROBE_BYTES);
    expect(decidedAt).toBeLessThan(10 + 100_000 + MPEG_PROBE_BYTES + 4096);
  });

  it('refuses the smuggling payloads and accepts real MPEG frames behind a tag (the corpus is not all one answer)', () => {
    const verdict = (name: string) => sniffStream([corpus[name]!]).format;
    expect(verdict('ID3 + HLS playlist (the local-file-read payload)')).toBeUndefined();
    expect(verdict('ID3 + ffconcat list')).toBeUndefined();
    expect(verdict('ID3 + a WAV header')).toBeUndefined();
    expect(verdict('mp3 behind an ID3 tag')).toBe('mp3');
    expect(verdict('mp3 behind a short ID3 tag (its frames start inside the first 64 bytes)')).toBe('mp3');
    expect(verdict('a tiny ID3 tag and frames, all within 64 bytes')).toBe('mp3');
  });

  it('keeps its verdict once given', () => {
    const sniffer = new StreamSniffer();
    expect(sniffer.push(corpus['flac']!)).toEqual({ kind: 'format', format: 'flac' });
    expect(sniffer.push(corpus['text']!)).toEqual({ kind: 'format', format: 'flac' });
    expect(sniffer.end()).toEqual({ kind: 'format', format: 'flac' });
  });

  it('reads the length an mp3 declares in its Xing/Info header, behind an ID3 tag or not (none without the header)', () => {
    const withXing = (tag: string) => {
      const frames = mpegFrames(12);
      // MPEG-1 stereo: the Xing/Info header follows 4 header bytes and 32 of side information; flag 1: frame count.
      frames.write(tag, 36, 'latin1');
      frames.writeUInt32BE(1, 40);
      frames.writeUInt32BE(100, 44);
      return frames;
    };
    const declared = (bytes: Buffer) => {
      const sniffer = new StreamSniffer();
      sniffer.push(bytes);
      sniffer.end();
      return sniffer.mp3DeclaredSeconds();
    };
    expect(declared(withXing('Xing'))).toBeCloseTo((100 * 1152) / 44100, 6);
    expect(declared(Buffer.concat([id3(700), withXing('Info')]))).toBeCloseTo((100 * 1152) / 44100, 6);
    expect(declared(mpegFrames(12))).toBeUndefined();
  });
});
