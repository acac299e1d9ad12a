import type { TranscriptionOptions } from '@speech/contracts';
import { type AudioFixture, speechFixture } from '@speech/test-support';
import { DomainError } from '../../src/common/domain-error';
import type { NormalizedAudio, TranscriptionEngine } from '../../src/engines/transcription-engine.port';

export interface ContractSubject {
  readonly engine: TranscriptionEngine;
  /** A request this engine is sure to still be working on a second after it starts. */
  readonly slowRequest: () => { audio: NormalizedAudio; options: TranscriptionOptions };
  /** An English-only model (e.g. Whisper tiny.en): another language is refused with INVALID_OPTION, not ignored. */
  readonly englishOnly?: boolean;
  readonly teardown: () => Promise<void>;
}

const options = (extra: Partial<TranscriptionOptions> = {}): TranscriptionOptions => ({ task: 'transcribe', temperature: 0, wordTimestamps: false, ...extra });

export function normalized(fixture: AudioFixture): NormalizedAudio {
  return { path: fixture.pcm, durationSeconds: fixture.durationSeconds, sampleRate: 16000 };
}

/** One suite every engine adapter passes: the port's promises, on the real thing or its closest stand-in. */
export function describeEngineContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`${name} engine — TranscriptionEngine contract`, () => {
    let subject: ContractSubject;
    let fixture: AudioFixture;

    beforeAll(async () => {
      fixture = speechFixture('The engine contract suite speaks this sentence.');
      subject = await setup();
      await subject.engine.start();
    }, 120_000);

    afterAll(async () => {
      await subject?.engine.stop();
      await subject?.teardown();
    });

    it('describes itself and reports ready after start()', async () => {
      const description = subject.engine.describe();
      expect(description.engine).toBe(name);
      expect(description.concurrency).toBeGreaterThanOrEqual(1);
      expect(typeof description.model).toBe('string');
      expect(typeof description.diarizes).toBe('boolean');
      const health = await subject.engine.health();
      expect(health.ready).toBe(true);
      // /health hands `detail` to terminus, which rejects a `status` key and fails the whole check over it.
      expect(health.detail).not.toHaveProperty('status');
    });

    it('transcribes normalized audio into the shared result: ordered segments inside the audio', async () => {
      const progress: number[] = [];
      const result = await subject.engine.transcribe({
        audio: normalized(fixture),
        options: options({ language: 'en', wordTimestamps: true }),
        signal: new AbortController().signal,
        onProgress: (fraction) => progress.push(fraction),
      });
      expect(result.language).toBe('en');
      expect(typeof result.text).toBe('string');
      expect(Array.isArray(result.segments)).toBe(true);
      let previous = 0;
      for (const segment of result.segments) {
        expect(segment.start).toBeGreaterThanOrEqual(previous);
        expect(segment.end).toBeGreaterThanOrEqual(segment.start);
        expect(segment.end).toBeLessThanOrEqual(fixture.durationSeconds + 0.5);
        previous = segment.start;
      }
      for (const fraction of progress) expect(fraction).toBeGreaterThanOrEqual(0);
      expect(progress.at(-1)).toBe(1);
    });

    it('passes the language option through (an English-only model refuses another language)', async () => {
      const call = subject.engine.transcribe({ audio: normalized(fixture), options: options({ language: 'de' }), signal: new AbortController().signal });
      if (subject.englishOnly) {
        await expect(call).rejects.toMatchObject({ code: 'INVALID_OPTION' });
      } else {
        expect((await call).language).toBe('de');
      }
    });

    it('rejects at once with the reason of an already-aborted signal', async () => {
      const controller = new AbortController();
      const reason = new DomainError('CANCELLED');
      controller.abort(reason);
      await expect(subject.engine.transcribe({ audio: normalized(fixture), options: options(), signal: controller.signal })).rejects.toBe(reason);
    });

    it('stops promptly when aborted mid-call, with the reason, and the next call succeeds', async () => {
      const controller = new AbortController();
      const reason = new DomainError('ENGINE_TIMEOUT', 'deadline passed in the contract test');
      const { audio, options: slowOptions } = subject.slowRequest();
      const call = subject.engine.transcribe({ audio, options: slowOptions, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const abortedAt = Date.now();
      controller.abort(reason);
      await expect(call).rejects.toBe(reason);
      expect(Date.now() - abortedAt).toBeLessThan(3000);
      const next = await subject.engine.transcribe({ audio: normalized(fixture), options: options({ language: 'en' }), signal: new AbortController().signal });
      expect(next.language).toBe('en');
    }, 60_000);
  });
}
