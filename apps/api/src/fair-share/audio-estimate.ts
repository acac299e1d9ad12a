import type { AudioFormat } from '@speech/contracts';
import type { BacklogEntry } from '../storage/job-store.port';

/**
 * Typical bytes per second of each accepted format, for queued jobs whose audio has not been decoded yet: 16 kHz
 * 16-bit mono PCM, ~100 kb/s FLAC of speech, 128 kb/s MP3/AAC, 64 kb/s Opus/Vorbis. A file at a lower bitrate is
 * under-counted until its job starts; the queued-jobs cap still bounds what one key can hold.
 */
const BYTES_PER_SECOND: Record<AudioFormat, number> = {
  wav: 32_000,
  flac: 12_500,
  mp3: 16_000,
  m4a: 16_000,
  ogg: 8_000,
  webm: 8_000,
};

/** Seconds of audio one job stands for: the decoded duration once known, else an estimate, never above the job limit. */
export function audioSecondsOf(entry: Pick<BacklogEntry, 'bytes' | 'format' | 'durationSeconds'>, maxJobSeconds: number): number {
  if (entry.durationSeconds !== null) return entry.durationSeconds;
  const rate = entry.format ? BYTES_PER_SECOND[entry.format] : BYTES_PER_SECOND.ogg;
  return Math.min(entry.bytes / rate, maxJobSeconds);
}
