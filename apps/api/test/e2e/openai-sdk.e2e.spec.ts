import { createReadStream } from 'node:fs';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import OpenAI from 'openai';
import SrtParser from 'srt-parser-2';
import { WebVTTParser } from 'webvtt-parser';
import { type ApiProcess, startApi } from './support/api-process';

/** The official OpenAI SDK, unchanged but for its base URL, against the built API running the real local engine. */
describe('OpenAI SDK compatibility (/v1/audio)', () => {
  let api: ApiProcess;
  let client: OpenAI;
  let fixture: AudioFixture;

  beforeAll(async () => {
    fixture = speechFixture('Hello from the speech platform. This sentence checks the OpenAI compatible routes.');
    api = await startApi();
    client = new OpenAI({ apiKey: 'not-checked-in-local-mode', baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 120_000 });
  }, 120_000);

  afterAll(async () => api?.stop());

  const transcribe = <F extends 'json' | 'text' | 'srt' | 'vtt' | 'verbose_json'>(response_format: F, extra: Record<string, unknown> = {}) =>
    client.audio.transcriptions.create({ file: createReadStream(fixture.mp3), model: 'whisper-1', response_format, temperature: 0, ...extra } as never);

  it('json: an object with the text', async () => {
    const result = (await transcribe('json')) as unknown as OpenAI.Audio.Transcription;
    expect(typeof result.text).toBe('string');
    expect(Object.keys(result)).toEqual(['text']);
  });

  it('text: a plain string', async () => {
    const result = (await transcribe('text')) as unknown as string;
    expect(typeof result).toBe('string');
    expect(result.endsWith('\n')).toBe(true);
  });

  it('verbose_json: language, duration, ordered segments inside the audio, words when asked', async () => {
    const result = (await transcribe('verbose_json', { timestamp_granularities: ['word', 'segment'] })) as unknown as OpenAI.Audio.TranscriptionVerbose;
    expect(result.language).toMatch(/^[a-z ]+$/);
    expect(result.duration).toBeCloseTo(fixture.durationSeconds, 1);
    const segments = result.segments ?? [];
    expect(Array.isArray(result.words)).toBe(true);
    assertOrderedWithin(segments, result.duration);
    assertOrderedWithin(result.words ?? [], result.duration);
    expect(result.text).toBe(segments.map((segment) => segment.text).join('').trim());
  });

  it('srt: parses with a third-party SubRip parser; cues match the segments', async () => {
    const [srt, verbose] = await Promise.all([transcribe('srt'), transcribe('verbose_json')]);
    const cues = new SrtParser().fromSrt(srt as unknown as string);
    const spoken = ((verbose as unknown as OpenAI.Audio.TranscriptionVerbose).segments ?? []).filter((s) => s.text.trim().length > 0);
    expect(cues.map((cue) => cue.text)).toEqual(spoken.map((segment) => segment.text.trim()));
    cues.forEach((cue, index) => {
      expect(cue.startSeconds).toBeCloseTo(spoken[index]!.start, 2);
      expect(cue.endSeconds).toBeCloseTo(spoken[index]!.end, 2);
    });
    assertOrderedWithin(cues.map((cue) => ({ start: cue.startSeconds, end: cue.endSeconds })), fixture.durationSeconds + 0.1);
  });

  it('vtt: parses with a third-party WebVTT parser without errors', async () => {
    const vtt = (await transcribe('vtt')) as unknown as string;
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const tree = new WebVTTParser().parse(vtt, 'metadata');
    expect(tree.errors).toEqual([]);
    assertOrderedWithin(tree.cues.map((cue) => ({ start: cue.startTime, end: cue.endTime })), fixture.durationSeconds + 0.1);
  });

  it('translations: English text through client.audio.translations', async () => {
    const result = await client.audio.translations.create({ file: createReadStream(fixture.wav), model: 'whisper-1', response_format: 'json' });
    expect(typeof result.text).toBe('string');
  });

  it("errors arrive as the SDK's typed exceptions with our stable code", async () => {
    const notAudio = new File([Buffer.from('just some text, not audio')], 'speech.mp3', { type: 'audio/mpeg' });
    const error = await client.audio.transcriptions.create({ file: notAudio, model: 'whisper-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA', type: 'invalid_request_error' });
    expect((error as InstanceType<typeof OpenAI.APIError>).requestID).toBeTruthy();

    const badLanguage = await transcribe('json', { language: 'klingon' }).catch((e: unknown) => e);
    expect(badLanguage).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badLanguage).toMatchObject({ code: 'INVALID_OPTION', param: 'language' });
  });
});

function assertOrderedWithin(spans: ReadonlyArray<{ start: number; end: number }>, duration: number): void {
  let previousStart = 0;
  for (const span of spans) {
    expect(span.start).toBeGreaterThanOrEqual(previousStart);
    expect(span.end).toBeGreaterThanOrEqual(span.start);
    expect(span.end).toBeLessThanOrEqual(duration);
    previousStart = span.start;
  }
}
