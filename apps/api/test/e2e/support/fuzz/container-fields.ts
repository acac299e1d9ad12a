/**
 * Where the fields that decoders trust sit in each container, found by walking the real fixture bytes:
 * sizes, counts, rates and sync words. The audio fuzzer overwrites them with hostile values.
 */
export type FuzzFormat = 'wav' | 'mp3' | 'flac' | 'ogg' | 'm4a' | 'webm';

export interface Field {
  readonly name: string;
  readonly offset: number;
  /** Bytes of the field (1–8). */
  readonly width: number;
  readonly endian: 'le' | 'be';
  /** A declared size or count: the place for "huge declared size" values. */
  readonly size: boolean;
}

export function containerFields(format: FuzzFormat, bytes: Buffer): Field[] {
  const fields = FINDERS[format](bytes);
  return fields.filter((field) => field.offset >= 0 && field.offset + field.width <= bytes.length);
}

const FINDERS: Record<FuzzFormat, (bytes: Buffer) => Field[]> = {
  wav: (b) => {
    const fields: Field[] = [le('RIFF size', 4, 4, true), le('format tag', 20, 2), le('channels', 22, 2), le('sample rate', 24, 4), le('byte rate', 28, 4), le('block align', 32, 2), le('bits per sample', 34, 2), le('fmt size', 16, 4, true)];
    for (let at = 12; at + 8 <= b.length; ) {
      const id = b.toString('latin1', at, at + 4);
      const size = b.readUInt32LE(at + 4);
      fields.push(le(`${id.trim() || 'chunk'} chunk size`, at + 4, 4, true));
      if (id === 'data') break;
      at += 8 + size + (size % 2);
    }
    return fields;
  },
  mp3: (b) => {
    const fields: Field[] = [];
    let start = 0;
    if (b.toString('latin1', 0, 3) === 'ID3') {
      fields.push(be('ID3 tag size', 6, 4, true));
      start = 10 + (((b[6] ?? 0) << 21) | ((b[7] ?? 0) << 14) | ((b[8] ?? 0) << 7) | (b[9] ?? 0));
    }
    let frames = 0;
    for (let at = start; at + 4 <= b.length && frames < 12; at += 1) {
      if (b[at] === 0xff && ((b[at + 1] ?? 0) & 0xe0) === 0xe0) {
        fields.push(be(`frame ${frames} header`, at, 4), be(`frame ${frames} bitrate/rate byte`, at + 2, 1));
        const xing = b.indexOf('Xing', at, 'latin1');
        const info = b.indexOf('Info', at, 'latin1');
        const tag = [xing, info].filter((i) => i >= 0 && i < at + 64)[0];
        if (tag !== undefined) fields.push(be('Xing frame count', tag + 8, 4, true), be('Xing byte count', tag + 12, 4, true));
        frames += 1;
        at += 3;
      }
    }
    return fields;
  },
  flac: (b) => [
    be('STREAMINFO block header', 4, 1),
    be('STREAMINFO length', 5, 3, true),
    be('min block size', 8, 2, true),
    be('max block size', 10, 2, true),
    be('min frame size', 12, 3, true),
    be('max frame size', 15, 3, true),
    be('sample rate/channels/bits', 18, 4),
    be('total samples', 22, 4, true),
    ...marks(b, Buffer.from([0xff, 0xf8]), 6).map((at, i) => be(`frame ${i} sync`, at, 4)),
  ],
  ogg: (b) =>
    marks(b, Buffer.from('OggS'), 8).flatMap((at, i) => [
      be(`page ${i} header type`, at + 5, 1),
      le(`page ${i} granule`, at + 6, 8, true),
      le(`page ${i} sequence`, at + 18, 4),
      le(`page ${i} CRC`, at + 22, 4),
      be(`page ${i} segment count`, at + 26, 1, true),
      be(`page ${i} first lacing value`, at + 27, 1, true),
    ]),
  m4a: (b) => mp4Atoms(b, 0, b.length, 0),
  webm: (b) =>
    [
      ['EBML header', [0x1a, 0x45, 0xdf, 0xa3]],
      ['Segment', [0x18, 0x53, 0x80, 0x67]],
      ['Tracks', [0x16, 0x54, 0xae, 0x6b]],
      ['Cluster', [0x1f, 0x43, 0xb6, 0x75]],
      ['CodecPrivate', [0x63, 0xa2]],
      ['SamplingFrequency', [0xb5]],
      ['Channels', [0x9f]],
      ['SimpleBlock', [0xa3]],
    ].flatMap(([name, id]) =>
      marks(b, Buffer.from(id as number[]), 3).map((at, i) => be(`${name as string} ${i} size`, at + (id as number[]).length, Math.min(8, vintWidth(b[at + (id as number[]).length] ?? 0x80)), true)),
    ),
};

const MP4_CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'udta', 'edts', 'dinf']);

function mp4Atoms(b: Buffer, from: number, to: number, depth: number): Field[] {
  const fields: Field[] = [];
  for (let at = from; at + 8 <= to && depth < 8; ) {
    const size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    fields.push(be(`${type} atom size`, at, 4, true));
    if (type === 'mdhd' || type === 'mvhd') fields.push(be(`${type} timescale`, at + 20, 4), be(`${type} duration`, at + 24, 4, true));
    if (type === 'stsz') fields.push(be('stsz sample size', at + 12, 4, true), be('stsz count', at + 16, 4, true), be('stsz first entry', at + 20, 4, true));
    if (type === 'stco') fields.push(be('stco count', at + 12, 4, true), be('stco first offset', at + 16, 4, true));
    if (type === 'stsc' || type === 'stts') fields.push(be(`${type} count`, at + 12, 4, true));
    if (MP4_CONTAINERS.has(type)) fields.push(...mp4Atoms(b, at + 8, Math.min(to, at + size), depth + 1));
    if (type === 'stsd') fields.push(...mp4Atoms(b, at + 16, Math.min(to, at + size), depth + 1));
    if (size < 8) break;
    at += size;
  }
  return fields;
}

/** Width of an EBML variable-length integer from its first byte (1 + leading zero bits). */
function vintWidth(first: number): number {
  for (let width = 1; width <= 8; width += 1) if (first & (0x100 >> width)) return width;
  return 8;
}

function marks(b: Buffer, needle: Buffer, limit: number): number[] {
  const found: number[] = [];
  for (let at = b.indexOf(needle); at >= 0 && found.length < limit; at = b.indexOf(needle, at + 1)) found.push(at);
  return found;
}

function le(name: string, offset: number, width: number, size = false): Field {
  return { name, offset, width, endian: 'le', size };
}

function be(name: string, offset: number, width: number, size = false): Field {
  return { name, offset, width, endian: 'be', size };
}
