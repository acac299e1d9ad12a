/**
 * MPEG-1/2/2.5 Layer III frame headers: 11 sync bits, a valid version, layer III, a bitrate index that is neither
 * "free" nor "bad", and a valid sample-rate index. Used by the sniffer to decide "this is an MP3 stream".
 */

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/**
 * True when `bytes` starts with an MPEG audio frame header and — when the buffer reaches that far — a second valid
 * header sits exactly one frame later, so random binary (or a text file behind an ID3 tag) rarely passes.
 */
export function isMpegAudioStream(bytes: Uint8Array): boolean {
  const frameLength = mpegFrameLength(bytes, 0);
  if (frameLength === undefined || bytes.length < 4) return false;
  if (bytes.length < frameLength + 4) return true;
  return mpegFrameLength(bytes, frameLength) !== undefined;
}

function mpegFrameLength(bytes: Uint8Array, offset: number): number | undefined {
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  if (bytes[offset] !== 0xff || b1 === undefined || b2 === undefined || bytes[offset + 3] === undefined || (b1 & 0xe0) !== 0xe0) return undefined;
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
