import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { workspaceCacheDir } from './workspace';

/** One clip in every container the API accepts, plus the normalized form the engines receive. */
export interface AudioFixture {
  dir: string;
  /** 16 kHz mono 16-bit PCM WAV. */
  wav: string;
  mp3: string;
  /** AAC in MP4. */
  m4a: string;
  flac: string;
  /** Vorbis in Ogg. */
  ogg: string;
  /** Opus in WebM. */
  webm: string;
  /** Raw little-endian float32, 16 kHz mono: what the API hands to an engine after its one decode. */
  pcm: string;
  durationSeconds: number;
  /** What was spoken (empty for tone/silence clips). */
  text: string;
}

export const FIXTURE_FORMATS = ['wav', 'mp3', 'm4a', 'flac', 'ogg', 'webm'] as const;

const ENCODE_ARGS: Record<(typeof FIXTURE_FORMATS)[number] | 'pcm', { file: string; args: string[] }> = {
  wav: { file: 'clip.wav', args: ['-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le'] },
  mp3: { file: 'clip.mp3', args: ['-ar', '16000', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k'] },
  m4a: { file: 'clip.m4a', args: ['-ar', '16000', '-ac', '1', '-c:a', 'aac', '-b:a', '64k'] },
  flac: { file: 'clip.flac', args: ['-ar', '16000', '-ac', '1', '-c:a', 'flac'] },
  ogg: { file: 'clip.ogg', args: ['-ar', '16000', '-ac', '1', '-c:a', 'libvorbis', '-q:a', '4'] },
  webm: { file: 'clip.webm', args: ['-ar', '16000', '-ac', '1', '-c:a', 'libopus', '-b:a', '32k'] },
  pcm: { file: 'clip.f32', args: ['-ar', '16000', '-ac', '1', '-f', 'f32le'] },
};

/** Throws a message naming the apt packages when espeak-ng or ffmpeg is missing. */
export function requireAudioTools(tools: readonly string[] = ['espeak-ng', 'ffmpeg']): void {
  const missing = tools.filter((t) => {
    try {
      // ffmpeg only knows `-version`, espeak-ng only `--version`.
      execFileSync(t, [t === 'ffmpeg' ? '-version' : '--version'], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(`speech fixtures need ${missing.join(' and ')}: apt-get install -y ${missing.join(' ')}`);
  }
}

function buildFixture(key: string, text: string, makeSource: (wavPath: string) => void, cacheDir?: string): AudioFixture {
  const root = cacheDir ?? workspaceCacheDir('fixtures');
  const dir = path.join(root, key);
  const files = Object.fromEntries(Object.entries(ENCODE_ARGS).map(([k, v]) => [k, path.join(dir, v.file)]));
  if (!existsSync(path.join(dir, 'fixture.json'))) {
    requireAudioTools();
    // Built in a private folder and renamed into place, so parallel test workers never see half a fixture.
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const source = path.join(tmp, 'source.wav');
    makeSource(source);
    for (const { file, args } of Object.values(ENCODE_ARGS)) {
      execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', source, ...args, path.join(tmp, file)]);
    }
    rmSync(source);
    writeFileSync(path.join(tmp, 'fixture.json'), JSON.stringify({ text }));
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another worker won the race; its copy is identical
    }
  }
  const stored = JSON.parse(readFileSync(path.join(dir, 'fixture.json'), 'utf8')) as { text: string };
  const durationSeconds = statSync(files['pcm']).size / 4 / 16000;
  return { dir, ...(files as Record<keyof typeof ENCODE_ARGS, string>), durationSeconds, text: stored.text };
}

export interface SpeechOptions {
  voice?: string;
  /** Words per minute. */
  speed?: number;
  cacheDir?: string;
}

/** Synthesises `text` with espeak-ng and encodes it in all six formats; cached by (text, voice, speed). */
export function speechFixture(text: string, options: SpeechOptions = {}): AudioFixture {
  const { voice = 'en-us', speed = 150 } = options;
  const key = 'speech-' + createHash('sha1').update(`${voice}|${speed}|${text}`).digest('hex').slice(0, 12);
  return buildFixture(key, text, (wav) => {
    execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', wav, text], { stdio: 'ignore' });
  }, options.cacheDir);
}

/** The short sentence most tests use (~3 s). */
export const SHORT_SENTENCE = 'The quick brown fox jumps over the lazy dog.';

/** About 29 seconds of speech: just inside one 30 s whisper window, for benchmarks and progress tests. */
export const LONG_PASSAGE =
  'Speech recognition turns spoken words into written text. This recording exists to test a transcription ' +
  'service from end to end. It talks about the weather, which was cold and windy in the morning and warmer ' +
  'in the afternoon. Then it lists a few numbers, one, two, three, four, five, six, seven, eight, nine and ten. ' +
  'Finally it reads a short note: please water the plants and feed the cat.';

export function longSpeechFixture(options: SpeechOptions = {}): AudioFixture {
  return speechFixture(LONG_PASSAGE, options);
}

export interface ToneOptions {
  toneSeconds?: number;
  silenceSeconds?: number;
  frequencyHz?: number;
  cacheDir?: string;
}

/** A sine tone followed by digital silence: audio with no speech in it. */
export function toneAndSilenceFixture(options: ToneOptions = {}): AudioFixture {
  const { toneSeconds = 1, silenceSeconds = 2, frequencyHz = 440 } = options;
  const key = `tone-${frequencyHz}hz-${toneSeconds}s-silence-${silenceSeconds}s`;
  return buildFixture(key, '', (wav) => {
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `sine=frequency=${frequencyHz}:sample_rate=16000:duration=${toneSeconds}`,
      '-f', 'lavfi', '-i', `anullsrc=channel_layout=mono:sample_rate=16000:duration=${silenceSeconds}`,
      '-filter_complex', '[0:a][1:a]concat=n=2:v=0:a=1', wav,
    ]);
  }, options.cacheDir);
}
