import { readFileSync } from 'node:fs';
import path from 'node:path';

import { runPythonScript } from './speech-python';

export interface VoiceClip {
  readonly id: string;
  readonly seconds: number;
  /** 16 kHz mono 16-bit WAV, cut to the prompt's voiced span (absolute path). */
  readonly wav: string;
  /** 16 kHz voices only: the same clip passed through 8 kHz (telephone bandwidth). */
  readonly narrowWav?: string;
}

export interface Voice {
  readonly name: string;
  readonly language: string;
  readonly sex: 'f' | 'm';
  /** The source's sample rate: 8000 for telephone prompts, 16000 for wideband ones. */
  readonly band: 8000 | 16000;
  readonly package: string;
  readonly clips: readonly VoiceClip[];
}

/**
 * Seven real recorded voices from pinned Debian prompt packages (bench/diarization/build_voices.py): built once
 * (downloads ~45 MB with `apt-get download`, about 3 minutes), cached under .cache/diarization/.
 */
export function diarizationVoices(): Voice[] {
  const manifestPath = runPythonScript('bench/diarization/build_voices.py', []).trim().split('\n').pop() ?? '';
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { voices: Voice[] };
  const folder = path.dirname(manifestPath);
  return manifest.voices.map((voice) => ({
    ...voice,
    clips: voice.clips.map((clip) => ({
      ...clip,
      wav: path.join(folder, clip.wav),
      narrowWav: clip.narrowWav === undefined ? undefined : path.join(folder, clip.narrowWav),
    })),
  }));
}

/** A 16-bit PCM mono WAV (as build_voices.py writes them) as float samples, without spawning ffmpeg per clip. */
export function readPcm16Wav(file: string): Float32Array {
  const wav = readFileSync(file);
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file}: not a WAV file`);
  let offset = 12;
  let format: { channels: number; bits: number; tag: number } | undefined;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') format = { tag: wav.readUInt16LE(body), channels: wav.readUInt16LE(body + 2), bits: wav.readUInt16LE(body + 14) };
    if (id === 'data') {
      if (!format || format.tag !== 1 || format.channels !== 1 || format.bits !== 16) throw new Error(`${file}: not 16-bit PCM mono`);
      const count = Math.floor(Math.min(size, wav.length - body) / 2);
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i++) samples[i] = wav.readInt16LE(body + 2 * i) / 32768;
      return samples;
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}
