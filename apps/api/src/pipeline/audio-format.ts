import type { AudioFormat } from '@speech/contracts';
import { sniffAudioFile, unsupportedMedia } from '../audio/format-sniffer';

/**
 * The upload's format, decided by its content, or 415 UNSUPPORTED_MEDIA. An upload is sniffed while it arrives
 * (audio/stream-sniffer.ts, the same rules); this reads a file already on disk: a job's stored audio, or an upload
 * the interceptor kept as a file.
 */
export async function requireAudioFormat(path: string): Promise<AudioFormat> {
  const format = await sniffAudioFile(path);
  if (format) return format;
  throw unsupportedMedia();
}
