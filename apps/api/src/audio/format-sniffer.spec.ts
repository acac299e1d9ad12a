import { id3TagLength, sniffAudioFormat } from './format-sniffer';

const bytes = (...values: Array<number | string>) =>
  Uint8Array.from(values.flatMap((value) => (typeof value === 'string' ? [...value].map((c) => c.charCodeAt(0)) : [value])));

// An MPEG-1 Layer III header: 128 kbit/s, 44.1 kHz, no padding → 417-byte frames.
const mp3Frame = () => {
  const frame = new Uint8Array(417 + 4);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  frame.set([0xff, 0xfb, 0x90, 0x64], 417);
  return frame;
};

describe('sniffAudioFormat', () => {
  it.each([
    ['wav', bytes('RIFF', 0, 0, 0, 0, 'WAVE', 'fmt ')],
    ['flac', bytes('fLaC', 0, 0, 0, 34)],
    ['ogg', bytes('OggS', 0, 2, 0, 0)],
    ['webm', bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86)],
    ['m4a', bytes(0, 0, 0, 0x20, 'ftypM4A ', 0, 0, 0, 0)],
    ['mp3', mp3Frame()],
  ])('recognises %s by its magic bytes', (format, head) => {
    expect(sniffAudioFormat(head)).toBe(format);
  });

  it.each([
    ['PNG', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a)],
    ['plain text', bytes('hello, this is not audio at all')],
    ['RIFF that is not WAVE (AVI)', bytes('RIFF', 0, 0, 0, 0, 'AVI LIST')],
    ['an MPEG sync word with a reserved version', bytes(0xff, 0xeb, 0x90, 0x64)],
    ['an ADTS (Layer 0) header', bytes(0xff, 0xf1, 0x50, 0x80)],
    ['fewer than four bytes', bytes(0xff, 0xfb)],
  ])('rejects %s', (_name, head) => {
    expect(sniffAudioFormat(head)).toBeUndefined();
  });

  it('rejects a lone MPEG-looking header followed by garbage where the next frame should start', () => {
    const frame = mp3Frame();
    frame.set([0x00, 0x00, 0x00, 0x00], 417);
    expect(sniffAudioFormat(frame)).toBeUndefined();
  });
});

describe('sniffAudioFormat behind an ID3 tag', () => {
  const id3 = (bodyBytes: number, flags = 0) => bytes('ID3', 4, 0, flags, 0, 0, (bodyBytes >> 7) & 0x7f, bodyBytes & 0x7f);

  it('reads the syncsafe tag length, footer included', () => {
    expect(id3TagLength(id3(0))).toBe(10);
    expect(id3TagLength(id3(300))).toBe(310);
    expect(id3TagLength(id3(300, 0x10))).toBe(320);
    expect(id3TagLength(bytes('ID3', 4, 0, 0, 0, 0, 0x80, 0))).toBeUndefined(); // not syncsafe
    expect(id3TagLength(bytes('ID3', 9, 0, 0, 0, 0, 0, 0))).toBeUndefined(); // no such ID3 version
  });

  it('accepts the tag only when two MPEG audio frames follow it', () => {
    expect(sniffAudioFormat(id3(0), mp3Frame())).toBe('mp3');
  });

  it.each([
    ['an HLS playlist', bytes('#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n')],
    ['an ffconcat list', bytes('ffconcat version 1.0\nfile self.mp3\n')],
    ['nothing at all', bytes()],
    ['one MPEG header followed by text', (() => { const frame = mp3Frame(); frame.set(bytes('#EXT'), 417); return frame; })()],
    ['another container (WAV)', bytes('RIFF', 0, 0, 0, 0, 'WAVE', 'fmt ')],
  ])('refuses an ID3 tag followed by %s', (_name, rest) => {
    expect(sniffAudioFormat(id3(0), rest)).toBeUndefined();
  });

  it('refuses an ID3 tag when the bytes behind it were not read', () => {
    expect(sniffAudioFormat(id3(0))).toBeUndefined();
  });
});
