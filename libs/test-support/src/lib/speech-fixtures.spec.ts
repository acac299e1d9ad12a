import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { FIXTURE_FORMATS, speechFixture, toneAndSilenceFixture } from './speech-fixtures';

function probe(file: string): { format: string; codec: string; sampleRate: number; channels: number } {
  const out = execFileSync('ffprobe', [
    '-v', 'error', '-show_entries', 'format=format_name:stream=codec_name,sample_rate,channels', '-of', 'json', file,
  ]).toString();
  const json = JSON.parse(out) as { format: { format_name: string }; streams: { codec_name: string; sample_rate: string; channels: number }[] };
  const s = json.streams[0];
  return { format: json.format.format_name, codec: s.codec_name, sampleRate: Number(s.sample_rate), channels: s.channels };
}

describe('speech fixtures', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'fixtures-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('synthesises speech into all six containers with the expected codecs, 16 kHz mono', () => {
    const f = speechFixture('Hello from the test suite.', { cacheDir: dir });
    const expected: Record<(typeof FIXTURE_FORMATS)[number], [RegExp, RegExp]> = {
      wav: [/wav/, /pcm_s16le/],
      mp3: [/mp3/, /mp3/],
      m4a: [/mp4|m4a/, /aac/],
      flac: [/flac/, /flac/],
      ogg: [/ogg/, /vorbis/],
      webm: [/webm|matroska/, /opus/],
    };
    for (const format of FIXTURE_FORMATS) {
      const p = probe(f[format]);
      expect(p.format).toMatch(expected[format][0]);
      expect(p.codec).toMatch(expected[format][1]);
      expect(p.channels).toBe(1);
      // Opus always decodes at 48 kHz; every other codec keeps the 16 kHz it was given.
      expect(p.sampleRate).toBe(format === 'webm' ? 48000 : 16000);
    }
    expect(f.durationSeconds).toBeGreaterThan(1);
    expect(f.durationSeconds).toBeLessThan(4);
    expect(statSync(f.pcm).size).toBe(f.durationSeconds * 16000 * 4);
    expect(f.text).toBe('Hello from the test suite.');
  });

  it('reuses a cached fixture instead of synthesising again', () => {
    const a = speechFixture('Cache me.', { cacheDir: dir });
    const mtime = statSync(a.wav).mtimeMs;
    const b = speechFixture('Cache me.', { cacheDir: dir });
    expect(b.wav).toBe(a.wav);
    expect(statSync(b.wav).mtimeMs).toBe(mtime);
  });

  it('makes a tone followed by silence of the requested length', () => {
    const f = toneAndSilenceFixture({ toneSeconds: 1, silenceSeconds: 2, cacheDir: dir });
    expect(f.durationSeconds).toBeCloseTo(3, 1);
    expect(f.text).toBe('');
  });
});
