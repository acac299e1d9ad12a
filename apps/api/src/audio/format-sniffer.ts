import { open } from 'node:fs/promises';
import type { AudioFormat } from '@speech/contracts';

/** Bytes read from the head of a file to decide its format. */
export const SNIFF_BYTES = 64;

/**
 * Decide the container format from magic bytes — never from the file name or the client's MIME type.
 * Returns undefined for anything we do not accept.
 */
export function sniffAudioFormat(head: Uint8Array): AudioFormat | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...head.subarray(start, end));
  if (head.length < 4) return undefined;
  if ((ascii(0, 4) === 'RIFF' || ascii(0, 4) === 'RF64' || ascii(0, 4) === 'BW64') && ascii(8, 12) === 'WAVE') return 'wav';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  if (head.length >= 12 && ascii(4, 8) === 'ftyp') return 'm4a';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  if (isMpegAudioFrame(head)) return 'mp3';
  return undefined;
}

export async function sniffAudioFile(path: string): Promise<AudioFormat | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return sniffAudioFormat(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * An MPEG-1/2/2.5 Layer III frame header: 11 sync bits, a valid version, layer III, a bitrate index
 * that is neither "free" nor "bad", and a valid sample-rate index. Two consecutive headers are
 * required when the buffer holds enough bytes, so random binary rarely passes.
 */
function isMpegAudioFrame(head: Uint8Array): boolean {
  const frameLength = mpegFrameLength(head, 0);
  if (frameLength === undefined) return false;
  if (head.length < frameLength + 4) return true;
  return mpegFrameLength(head, frameLength) !== undefined;
}

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

function mpegFrameLength(head: Uint8Array, offset: number): number | undefined {
  const b1 = head[offset + 1];
  const b2 = head[offset + 2];
  if (head[offset] !== 0xff || b1 === undefined || b2 === undefined || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 0x03; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5, 1 = reserved
  const layer = (b1 >> 1) & 0x03; // 1 = Layer III
  const bitrateIndex = (b2 >> 4) & 0x0f;
  const rateIndex = (b2 >> 2) & 0x03;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const padding = (b2 >> 1) & 0x01;
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const bitrate = (version === 3 ? BITRATES_V1_L3 : BITRATES_V2_L3)[bitrateIndex]! * 1000;
  return Math.floor(((version === 3 ? 144 : 72) * bitrate) / sampleRate) + padding;
}
