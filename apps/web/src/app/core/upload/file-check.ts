import type { UploadLimits } from '../status/service-status.store';

export type FileRejection =
  | { readonly reason: 'not-audio'; readonly formats: readonly string[] }
  | { readonly reason: 'too-large'; readonly size: number; readonly limit: number }
  | { readonly reason: 'empty' };

/** File-name extensions and MIME types → the API's format names (it decides by content; this is a pre-check). */
const EXTENSIONS: Readonly<Record<string, string>> = {
  mp3: 'mp3', mpga: 'mp3', mpeg: 'mp3',
  wav: 'wav', wave: 'wav',
  m4a: 'm4a', mp4: 'm4a', m4b: 'm4a',
  flac: 'flac',
  ogg: 'ogg', oga: 'ogg', opus: 'ogg',
  webm: 'webm', weba: 'webm',
};
const MIME_TYPES: Readonly<Record<string, string>> = {
  'audio/mpeg': 'mp3', 'audio/mp3': 'mp3',
  'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'audio/vnd.wave': 'wav',
  'audio/mp4': 'm4a', 'audio/x-m4a': 'm4a', 'audio/m4a': 'm4a', 'video/mp4': 'm4a',
  'audio/flac': 'flac', 'audio/x-flac': 'flac',
  'audio/ogg': 'ogg', 'audio/opus': 'ogg', 'application/ogg': 'ogg',
  'audio/webm': 'webm', 'video/webm': 'webm',
};

/**
 * Checks a file before upload against the limits from GET /status. A file whose name and type say
 * nothing (no extension, no type) goes through: the API sniffs the content and answers clearly.
 */
export function checkFile(file: File, limits: UploadLimits): FileRejection | undefined {
  if (file.size === 0) return { reason: 'empty' };
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  const type = file.type.toLowerCase().split(';')[0].trim();
  const byName = extension ? EXTENSIONS[extension] : undefined;
  const byType = MIME_TYPES[type];
  const known = [byName, byType].filter((format): format is string => format !== undefined);
  const acceptedFormat = known.some((format) => limits.acceptedFormats.includes(format));
  // Audio we have no name for, or a file with neither extension nor type: the API sniffs the content.
  const undecided = known.length === 0 && (type.startsWith('audio/') || (extension === undefined && type === ''));
  if (!acceptedFormat && !undecided) return { reason: 'not-audio', formats: limits.acceptedFormats };
  if (limits.maxFileSizeBytes !== undefined && file.size > limits.maxFileSizeBytes) {
    return { reason: 'too-large', size: file.size, limit: limits.maxFileSizeBytes };
  }
  return undefined;
}

/** The `accept` attribute for the file picker. */
export function acceptAttribute(formats: readonly string[]): string {
  const extensions = Object.entries(EXTENSIONS)
    .filter(([, format]) => formats.includes(format))
    .map(([extension]) => `.${extension}`);
  return [...extensions, 'audio/*'].join(',');
}
