import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { TranscriptionResult } from '@speech/contracts';
import { locateFfmpeg } from '../../audio/ffmpeg-locator';
import { HttpEngine } from './http.engine';

/**
 * The http engine against a real HTTP server standing in for the model container: what reaches /invocations when
 * diarization is asked of the engine, and that the container's speakers come back untouched.
 */
describe('HttpEngine forwards diarization to the model container', () => {
  let server: Server;
  let dir: string;
  let received: { contentType?: string; body?: { audio_base64: string; options: Record<string, unknown> } };
  const answer: TranscriptionResult = {
    text: 'Hi. Hello.',
    language: 'en',
    duration: 2,
    segments: [
      { id: 0, start: 0, end: 1, text: ' Hi.', speaker: 'A', words: [{ word: 'Hi.', start: 0.1, end: 0.5, speaker: 'A' }] },
      { id: 1, start: 1, end: 2, text: ' Hello.', speaker: 'B', words: [{ word: 'Hello.', start: 1.1, end: 1.6, speaker: 'B' }] },
    ],
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dir = mkdtempSync(join(tmpdir(), 'http-diarize-'));
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received = { contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(answer));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends diarize, the counts and known speakers in the JSON options, and says it diarizes', async () => {
    const engine = new HttpEngine({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, concurrency: 1 }, locateFfmpeg().path);
    expect(engine.describe().diarizes).toBe(true);
    const samples = Float32Array.from({ length: 32000 }, (_, i) => 0.2 * Math.sin(i / 10));
    const path = join(dir, 'audio.f32');
    writeFileSync(path, Buffer.from(samples.buffer));
    const result = await engine.transcribe({
      audio: { path, durationSeconds: 2, sampleRate: 16000 },
      options: { task: 'transcribe', temperature: 0, wordTimestamps: true },
      signal: new AbortController().signal,
      diarization: { speakers: 2, knownSpeakers: [{ name: 'Ann', samples: samples.subarray(0, 16000) }] },
    });
    expect(received.contentType).toBe('application/json');
    const options = received.body?.options as Record<string, unknown> & { known_speakers: Array<{ name: string; audio_base64: string }> };
    expect(options).toMatchObject({ diarize: true, num_speakers: 2, word_timestamps: true });
    expect(options.known_speakers.map((k) => k.name)).toEqual(['Ann']);
    // 16 kHz mono 16-bit WAV: 44-byte header + 2 bytes a sample.
    expect(Buffer.from(options.known_speakers[0]?.audio_base64 ?? '', 'base64').length).toBe(44 + 2 * 16000);
    expect(Buffer.from(received.body?.audio_base64 ?? '', 'base64').subarray(0, 4).toString('ascii')).toBe('fLaC');
    expect(result.segments.map((s) => s.speaker)).toEqual(['A', 'B']);
  });
});
