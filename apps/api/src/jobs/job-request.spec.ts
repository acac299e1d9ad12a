import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idempotencyKeyOf, parseJobRequest, requestFingerprint } from './job-request';
import { AUTO_VAD } from '../vad/vad-options';

describe('job requests', () => {
  it('takes the sync form fields plus callback_url', () => {
    expect(parseJobRequest({ language: 'de', response_format: 'vtt', word_timestamps: 'true', callback_url: ' https://x.example/h ' })).toEqual({
      options: { task: 'transcribe', temperature: 0, wordTimestamps: true, responseFormat: 'vtt', granularities: ['word', 'segment'], language: 'de', vad: AUTO_VAD },
      callbackUrl: 'https://x.example/h',
    });
    expect(parseJobRequest({}).callbackUrl).toBeNull();
    expect(() => parseJobRequest({ callback_url: ['a', 'b'] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => parseJobRequest({ temperature: '3' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('accepts printable idempotency keys up to 255 characters', () => {
    expect(idempotencyKeyOf(undefined)).toBeNull();
    expect(idempotencyKeyOf(' order-42 ')).toBe('order-42');
    expect(() => idempotencyKeyOf('')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => idempotencyKeyOf('x'.repeat(256))).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => idempotencyKeyOf('with space')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('fingerprints the audio bytes and the options together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fingerprint-'));
    try {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      writeFileSync(a, 'audio-one');
      writeFileSync(b, 'audio-two');
      const request = parseJobRequest({ language: 'en' });
      expect(await requestFingerprint(request, a)).toBe(await requestFingerprint(request, a));
      expect(await requestFingerprint(request, a)).not.toBe(await requestFingerprint(request, b));
      expect(await requestFingerprint(request, a)).not.toBe(await requestFingerprint(parseJobRequest({ language: 'de' }), a));
      const words = parseJobRequest({ language: 'en', timestamp_granularities: 'word' });
      expect(await requestFingerprint(words, a)).not.toBe(await requestFingerprint(parseJobRequest({ language: 'en', word_timestamps: 'true' }), a));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
