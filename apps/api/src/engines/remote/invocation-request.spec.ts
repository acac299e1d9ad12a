import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMono16k } from '@speech/test-support';
import { invocationPayload } from './invocation-request';

const options = { task: 'transcribe' as const, temperature: 0, wordTimestamps: true, language: 'en' };
const flac = Buffer.from('fLaC-stand-in');

describe('invocation payloads for the model container', () => {
  it('without diarization: FLAC with the options in the custom-attributes header', () => {
    const payload = invocationPayload(flac, options);
    expect(payload.contentType).toBe('audio/flac');
    expect(payload.customAttributes).toBe('task=transcribe;temperature=0;word_timestamps=true;language=en');
  });

  it('with diarization: JSON with diarize, the counts and known speakers as 16 kHz mono WAV that ffmpeg reads back', () => {
    const tone = Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));
    const payload = invocationPayload(flac, options, { minSpeakers: 2, maxSpeakers: 3, knownSpeakers: [{ name: 'Ann', samples: tone }] });
    expect(payload.contentType).toBe('application/json');
    expect(payload.customAttributes).toBeUndefined();
    const body = JSON.parse(payload.body.toString('utf8')) as { audio_base64: string; options: Record<string, unknown> };
    expect(Buffer.from(body.audio_base64, 'base64')).toEqual(flac);
    const { known_speakers: known, ...rest } = body.options as { known_speakers: Array<{ name: string; audio_base64: string }> };
    expect(rest).toEqual({ task: 'transcribe', temperature: 0, word_timestamps: true, language: 'en', diarize: true, min_speakers: 2, max_speakers: 3 });
    expect(known.map((k) => k.name)).toEqual(['Ann']);

    const dir = mkdtempSync(join(tmpdir(), 'wav-'));
    try {
      const wav = join(dir, 'ann.wav');
      writeFileSync(wav, Buffer.from(known[0]?.audio_base64 ?? '', 'base64'));
      expect(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels', '-of', 'csv=p=0', wav], { encoding: 'utf8' }).trim())
        .toBe('pcm_s16le,16000,1');
      const back = decodeMono16k(wav);
      expect(back.length).toBe(tone.length);
      expect(Math.max(...back.map((v, i) => Math.abs(v - (tone[i] ?? 0))))).toBeLessThan(1e-4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('num_speakers alone, no known speakers: no known_speakers field', () => {
    const body = JSON.parse(invocationPayload(flac, options, { speakers: 2, knownSpeakers: [] }).body.toString('utf8')) as { options: Record<string, unknown> };
    expect(body.options).toMatchObject({ diarize: true, num_speakers: 2 });
    expect(body.options).not.toHaveProperty('known_speakers');
  });
});
