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

/**
 * The length an MP3 declares in its first frame's Xing/Info (LAME) or VBRI header — frame count × samples per frame
 * ÷ sample rate — or undefined when there is none. This is the length ffmpeg reports for a file; read from a pipe it
 * reports none, so a decode fed while the upload arrives takes it from here (the damage rule compares with it).
 * `bytes` starts at the first frame header.
 */
export function mpegDeclaredSeconds(bytes: Uint8Array): number | undefined {
  if (mpegFrameLength(bytes, 0) === undefined) return undefined;
  const b1 = bytes[1]!;
  const version = (b1 >> 3) & 0x03;
  const mono = ((bytes[3]! >> 6) & 0x03) === 3;
  const sampleRate = SAMPLE_RATES[version]![(bytes[2]! >> 2) & 0x03]!;
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tagAt = (offset: number, tag: string) => bytes.length >= offset + 4 && String.fromCharCode(...bytes.subarray(offset, offset + 4)) === tag;
  // Xing/Info sits after the side information: 32/17 bytes (MPEG-1 stereo/mono), 17/9 (MPEG-2 and 2.5), plus the header.
  const xing = 4 + (version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17);
  let frames: number | undefined;
  if ((tagAt(xing, 'Xing') || tagAt(xing, 'Info')) && bytes.length >= xing + 12 && (view.getUint32(xing + 4) & 0x1) !== 0) frames = view.getUint32(xing + 8);
  else if (tagAt(36, 'VBRI') && bytes.length >= 36 + 18) frames = view.getUint32(36 + 14);
  return frames ? (frames * samplesPerFrame) / sampleRate : undefined;
}
