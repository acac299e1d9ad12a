import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface FfmpegBinary {
  readonly path: string;
  readonly source: 'FFMPEG_PATH' | 'npm' | 'system';
  readonly version: string;
}

/**
 * Find ffmpeg: an explicit FFMPEG_PATH, else the static binary that arrives with `npm ci`
 * (@ffmpeg-installer/ffmpeg), else the one on PATH. Throws a start-up error naming the fix.
 */
export function locateFfmpeg(explicitPath?: string): FfmpegBinary {
  const candidates: Array<{ path: string | undefined; source: FfmpegBinary['source'] }> = [
    { path: explicitPath, source: 'FFMPEG_PATH' },
    { path: npmFfmpegPath(), source: 'npm' },
    { path: 'ffmpeg', source: 'system' },
  ];
  const tried: string[] = [];
  for (const candidate of explicitPath ? candidates.slice(0, 1) : candidates.slice(1)) {
    if (!candidate.path) continue;
    tried.push(candidate.path);
    const version = probeVersion(candidate.path);
    if (version) return { path: candidate.path, source: candidate.source, version };
  }
  throw new Error(
    `ffmpeg not found or not runnable (tried: ${tried.join(', ')}). ` +
      'Run `npm ci` (it brings @ffmpeg-installer/ffmpeg), install it (`apt-get install ffmpeg`), or set FFMPEG_PATH.',
  );
}

function npmFfmpegPath(): string | undefined {
  try {
    const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
    return existsSync(installer.path) ? installer.path : undefined;
  } catch {
    return undefined;
  }
}

function probeVersion(path: string): string | undefined {
  try {
    const output = execFileSync(path, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000 });
    return /ffmpeg version (\S+)/.exec(output)?.[1] ?? 'unknown';
  } catch {
    return undefined;
  }
}
