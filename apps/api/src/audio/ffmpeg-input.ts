import type { AudioFormat } from '@speech/contracts';

/**
 * The one way ffmpeg may open an upload: the demuxer the sniffer decided, nothing else.
 *
 * Left to itself, ffmpeg probes the content and picks any of its ~300 demuxers — an ID3 tag followed by an HLS
 * playlist made it read (and transcribe) a file from the server's disk; an ffconcat list naming itself kept it busy
 * for minutes. Forcing the format (-f) skips probing; the format whitelist stops any demuxer from opening a nested
 * one (hls, concat, image2, …); the protocol whitelist allows only local files (no http:, no concat:, no subfile:);
 * and the mov demuxer's external data references ("drefs", paths to other files) stay off.
 */
const DEMUXER: Record<AudioFormat, string> = {
  mp3: 'mp3',
  wav: 'wav',
  flac: 'flac',
  ogg: 'ogg',
  // The mov demuxer reads MP4/M4A; matroska reads WebM (their full names are "mov,mp4,m4a,…" and "matroska,webm").
  m4a: 'mov',
  webm: 'matroska',
};

/** Demuxer-specific options that keep a demuxer from reaching outside the file. */
const DEMUXER_OPTIONS: Partial<Record<AudioFormat, readonly string[]>> = {
  m4a: ['-enable_drefs', '0', '-use_absolute_path', '0'],
};

export function demuxerFor(format: AudioFormat): string {
  return DEMUXER[format];
}

/** ffmpeg input arguments (everything up to and including `-i`) that open `path` as `format` and only as that. */
export function lockedInputArgs(format: AudioFormat, path: string): string[] {
  // "file:" so that a path can never be read as another protocol (e.g. one that starts with "concat:").
  return locked(format, 'file', `file:${path}`);
}

/**
 * The same lock for an upload fed to ffmpeg's stdin while it arrives: the only protocol allowed is the pipe, so a
 * demuxer cannot open even a local file.
 */
export function lockedPipeInputArgs(format: AudioFormat): string[] {
  return locked(format, 'pipe', 'pipe:0');
}

function locked(format: AudioFormat, protocol: 'file' | 'pipe', input: string): string[] {
  const demuxer = DEMUXER[format];
  return ['-f', demuxer, '-format_whitelist', demuxer, '-protocol_whitelist', protocol, ...(DEMUXER_OPTIONS[format] ?? []), '-i', input];
}
