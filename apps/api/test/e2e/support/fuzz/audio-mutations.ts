import { containerFields, type FuzzFormat } from './container-fields';
import type { Prng } from './prng';

export const AUDIO_MUTATIONS = [
  'bit-flip',
  'byte-run',
  'truncate',
  'insert',
  'delete',
  'header-field',
  'huge-size',
  'splice',
  'fill',
] as const;
export type AudioMutation = (typeof AUDIO_MUTATIONS)[number];

export interface MutatedAudio {
  readonly kind: AudioMutation;
  readonly format: FuzzFormat;
  readonly bytes: Buffer;
  /** What was done, for the replay line of a failing case. */
  readonly detail: string;
}

/** The seed files, one per container, each ≤ 1 s of speech. */
export type SeedFiles = Readonly<Record<FuzzFormat, Buffer>>;

/** One mutated file: a seeded choice of container and mutation, applied to that container's seed file. */
export function mutateAudio(seeds: SeedFiles, random: Prng, kind: AudioMutation = random.pick(AUDIO_MUTATIONS)): MutatedAudio {
  const format = random.pick(Object.keys(seeds) as FuzzFormat[]);
  const source = seeds[format];
  const { bytes, detail } = MUTATORS[kind](Buffer.from(source), random, format, seeds);
  return { kind, format, bytes, detail };
}

type Mutator = (bytes: Buffer, random: Prng, format: FuzzFormat, seeds: SeedFiles) => { bytes: Buffer; detail: string };

/** Offsets skew towards the start, where the headers that decoders trust live. */
function offset(random: Prng, length: number): number {
  return random.chance(0.5) ? random.int(Math.min(length, 256)) : random.int(length);
}

const MUTATORS: Record<AudioMutation, Mutator> = {
  'bit-flip': (bytes, random) => {
    const flips = random.between(1, 32);
    for (let i = 0; i < flips; i += 1) {
      const at = offset(random, bytes.length);
      bytes[at] = (bytes[at] as number) ^ (1 << random.int(8));
    }
    return { bytes, detail: `${flips} bits` };
  },
  'byte-run': (bytes, random) => {
    const at = offset(random, bytes.length);
    const length = Math.min(bytes.length - at, random.between(1, 512));
    const value = random.pick([0x00, 0xff, 0x80, 0x7f, -1]);
    if (value < 0) random.bytes(length).copy(bytes, at);
    else bytes.fill(value, at, at + length);
    return { bytes, detail: `${length} bytes of ${value < 0 ? 'noise' : value} at ${at}` };
  },
  truncate: (bytes, random) => {
    const keep = random.chance(0.3) ? random.int(Math.min(bytes.length, 128)) : random.int(bytes.length);
    return { bytes: bytes.subarray(0, keep), detail: `first ${keep} bytes` };
  },
  insert: (bytes, random) => {
    const at = offset(random, bytes.length);
    const inserted = random.chance(0.5) ? random.bytes(random.between(1, 2048)) : bytes.subarray(random.int(bytes.length), random.int(bytes.length) + 4096);
    return { bytes: Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]), detail: `${inserted.length} bytes at ${at}` };
  },
  delete: (bytes, random) => {
    const at = offset(random, bytes.length);
    const length = random.between(1, 4096);
    return { bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]), detail: `${length} bytes at ${at}` };
  },
  'header-field': (bytes, random, format) => {
    const fields = containerFields(format, bytes);
    const count = random.between(1, 3);
    const names: string[] = [];
    for (let i = 0; i < count && fields.length > 0; i += 1) {
      const field = random.pick(fields);
      writeField(bytes, field.offset, field.width, field.endian, hostileValue(random, field.width));
      names.push(field.name);
    }
    return { bytes, detail: names.join(', ') || 'no field found' };
  },
  'huge-size': (bytes, random, format) => {
    const fields = containerFields(format, bytes).filter((field) => field.size);
    if (fields.length === 0) return { bytes, detail: 'no size field' };
    const field = random.pick(fields);
    const huge = field.width >= 4 ? random.pick([0xffffffffn, 0x7fffffffn, 0x80000000n, 0xfffffff0n]) : (1n << BigInt(field.width * 8)) - 1n;
    writeField(bytes, field.offset, field.width, field.endian, field.width === 8 ? 0x7fffffffffffffffn : huge);
    return { bytes, detail: field.name };
  },
  splice: (bytes, random, format, seeds) => {
    const other = random.pick((Object.keys(seeds) as FuzzFormat[]).filter((f) => f !== format));
    const tail = seeds[other];
    const cut = offset(random, bytes.length);
    const from = random.int(tail.length);
    return { bytes: Buffer.concat([bytes.subarray(0, cut), tail.subarray(from)]), detail: `${format}[0,${cut}) + ${other}[${from},end)` };
  },
  fill: (bytes, random) => {
    const value = random.pick([0x00, 0xff]);
    const keepHeader = random.chance(0.7) ? random.int(Math.min(bytes.length, 256)) : 0;
    const end = random.chance(0.5) ? bytes.length : keepHeader + random.int(bytes.length - keepHeader);
    bytes.fill(value, keepHeader, end);
    return { bytes, detail: `${value === 0 ? 'zeros' : '0xFF'} over [${keepHeader},${end})` };
  },
};

function hostileValue(random: Prng, width: number): bigint {
  const max = (1n << BigInt(width * 8)) - 1n;
  const choice = random.int(6);
  if (choice === 0) return 0n;
  if (choice === 1) return 1n;
  if (choice === 2) return max;
  if (choice === 3) return max >> 1n;
  if (choice === 4) return BigInt(random.int(256));
  return BigInt(random.int(0x7fffffff)) & max;
}

function writeField(bytes: Buffer, at: number, width: number, endian: 'le' | 'be', value: bigint): void {
  for (let i = 0; i < width; i += 1) {
    const byte = Number((value >> BigInt(8 * i)) & 0xffn);
    bytes[endian === 'le' ? at + i : at + width - 1 - i] = byte;
  }
}
