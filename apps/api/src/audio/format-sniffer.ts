import { open } from 'node:fs/promises';
import { ACCEPTED_AUDIO_FORMATS, type AudioFormat } from '@speech/contracts';
import { DomainError } from '../common/domain-error';
import { isMpegAudioStream } from './mpeg-frame';

/** Bytes read from the head of a file to decide its format. */
export const SNIFF_BYTES = 64;
/** Bytes read where the first MPEG frame must start behind an ID3 tag: two of the largest Layer III frames fit. */
export const MPEG_PROBE_BYTES = 2 * 1441 + 4;
const ID3_HEADER_BYTES = 10;

/**
 * Decide the container format from magic bytes — never from the file name or the client's MIME type.
 * Returns undefined for anything we do not accept. The decoder is then forced to exactly this format
 * (see ffmpeg-input.ts), so the sniffer's answer is the only thing that decides which demuxer reads the file.
 *
 * `afterId3` holds the bytes behind an ID3v2 tag (sniffAudioFile reads them): an ID3 tag alone proves nothing —
 * an ID3 tag followed by an HLS playlist made ffmpeg read a server file — so it counts as mp3 only when MPEG audio
 * frames follow it.
 */
export function sniffAudioFormat(head: Uint8Array, afterId3?: Uint8Array): AudioFormat | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...head.subarray(start, end));
  if (head.length < 4) return undefined;
  if ((ascii(0, 4) === 'RIFF' || ascii(0, 4) === 'RF64' || ascii(0, 4) === 'BW64') && ascii(8, 12) === 'WAVE') return 'wav';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  if (head.length >= 12 && ascii(4, 8) === 'ftyp') return 'm4a';
  if (id3TagLength(head) !== undefined) return afterId3 && isMpegAudioStream(afterId3) ? 'mp3' : undefined;
  if (isMpegAudioStream(head)) return 'mp3';
  return undefined;
}

export async function sniffAudioFile(path: string): Promise<AudioFormat | undefined> {
  const handle = await open(path, 'r');
  try {
    const readAt = async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    const head = await readAt(0, SNIFF_BYTES);
    const tagLength = id3TagLength(head);
    return sniffAudioFormat(head, tagLength === undefined ? undefined : await readAt(tagLength, MPEG_PROBE_BYTES));
  } finally {
    await handle.close();
  }
}

/**
 * Total length of an ID3v2 tag (header, body, optional footer) from its 10-byte header, or undefined when the bytes
 * are not one: "ID3", a major version 2-4, and a 28-bit "syncsafe" size (the top bit of each size byte is 0).
 */
export function id3TagLength(head: Uint8Array): number | undefined {
  if (head.length < ID3_HEADER_BYTES || head[0] !== 0x49 || head[1] !== 0x44 || head[2] !== 0x33) return undefined;
  const major = head[3]!;
  if (major < 2 || major > 4 || head[4] === 0xff) return undefined;
  const sizeBytes = head.subarray(6, 10);
  if (sizeBytes.some((byte) => byte & 0x80)) return undefined;
  const size = sizeBytes.reduce((total, byte) => total * 128 + byte, 0);
  const hasFooter = major === 4 && (head[5]! & 0x10) !== 0;
  return ID3_HEADER_BYTES + size + (hasFooter ? ID3_HEADER_BYTES : 0);
}

/** 415 for an upload the sniffer did not accept; the same words whether it was judged on disk or while it arrived. */
export function unsupportedMedia(): DomainError {
  return new DomainError(
    'UNSUPPORTED_MEDIA',
    `The file is not in a supported audio format. Accepted: ${ACCEPTED_AUDIO_FORMATS.join(', ')} (decided by the file's content, not its name).`,
    { accepted: ACCEPTED_AUDIO_FORMATS },
  );
}
