import { assertRealtimeServerEvent } from '../../test/support/realtime-event-shapes';
import { DomainError } from '../common/domain-error';
import { MU_LAW_TABLE } from '../streaming/g711';
import { type TurnRequest, TurnTranscriber } from '../streaming/turn-transcriber';
import { SpeechDetector, type SpeechFrameScorer, VAD_FRAME_SAMPLES } from '../vad/speech-detector.port';
import { RealtimeSession } from './realtime-session';
import type { ServerEvent } from './server-events';

/** Scores a frame as speech when it is loud: enough to drive turns without the model (the e2e tests use Silero). */
class LoudnessDetector extends SpeechDetector {
  open(): SpeechFrameScorer {
    return {
      score: async (samples) =>
        Float32Array.from({ length: samples.length / VAD_FRAME_SAMPLES }, (_, f) => {
          const frame = samples.subarray(f * VAD_FRAME_SAMPLES, (f + 1) * VAD_FRAME_SAMPLES);
          return Math.sqrt(frame.reduce((sum, x) => sum + x * x, 0) / frame.length) > 0.05 ? 0.95 : 0.02;
        }),
    };
  }
  close(): Promise<void> {
    return Promise.resolve(); // nothing loaded
  }
}

const WORDS = 'and so my fellow americans ask not what your country can do for you ask what you can do'.split(' ');

/** A growing hypothesis: 3 words per second of audio, so consecutive decodes agree on their common prefix. */
class CountingTranscriber extends TurnTranscriber {
  readonly calls: TurnRequest['kind'][] = [];
  readonly prompts: Array<string | undefined> = [];
  /** `delayMs: 0` answers within the same turn of the event loop, so when decodes end no longer depends on the machine's load. */
  readonly incremental: boolean;
  constructor(private readonly behaviour: { partials?: 'drop'; fail?: DomainError; delayMs?: number; incremental?: boolean } = {}) {
    super();
    this.incremental = behaviour.incremental ?? true;
  }
  async transcribe(request: TurnRequest): Promise<string | null> {
    this.calls.push(request.kind);
    this.prompts.push(request.prompt);
    const delayMs = this.behaviour.delayMs ?? 5;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.behaviour.fail) throw this.behaviour.fail;
    if (request.kind === 'partial' && this.behaviour.partials === 'drop') return null;
    const count = Math.floor((request.samples.length / 16_000) * 3);
    return ` ${WORDS.slice(0, count).join(' ')}${request.kind === 'final' ? '.' : ''}`;
  }
}

/** 24 kHz PCM16 base64 chunks of 20 ms: silence, then a loud tone, then silence. */
function pcm16Chunks(parts: Array<{ seconds: number; loud: boolean }>): string[] {
  const samples: number[] = [];
  for (const part of parts) {
    for (let i = 0; i < part.seconds * 24_000; i += 1) samples.push(part.loud ? Math.round(12_000 * Math.sin((2 * Math.PI * 300 * i) / 24_000)) : 0);
  }
  const bytes = Buffer.alloc(samples.length * 2);
  samples.forEach((value, i) => bytes.writeInt16LE(value, i * 2));
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += 960) chunks.push(bytes.subarray(i, i + 960).toString('base64'));
  return chunks;
}

function sessionWith(transcriber: TurnTranscriber) {
  const sent: ServerEvent[] = [];
  const session = new RealtimeSession({
    send: (event) => {
      assertRealtimeServerEvent(JSON.parse(JSON.stringify(event)));
      sent.push(event);
    },
    detector: new LoudnessDetector(),
    transcriber,
    limits: { maxTurnSeconds: 30, partialIntervalMs: 300 },
  });
  const send = (event: object) => session.receive(JSON.stringify(event));
  return { session, sent, send };
}

const types = (sent: ServerEvent[]) => sent.map((event) => event.type);
const deltasOf = (sent: ServerEvent[], item?: string) =>
  sent.flatMap((event) => (event.type === 'conversation.item.input_audio_transcription.delta' && (!item || event.item_id === item) ? [event.delta] : []));

/**
 * One turn of `speechSeconds` of speech and a second of silence, sent in 20 ms chunks with decodes that end at once:
 * how much audio had been sent when each final decode started.
 */
async function finalStarts(speechSeconds: number, behaviour: { partials?: 'drop' } = {}): Promise<number[]> {
  const starts: number[] = [];
  let audioSent = 0;
  class Recording extends CountingTranscriber {
    override async transcribe(request: TurnRequest): Promise<string | null> {
      if (request.kind === 'final') starts.push(audioSent);
      return super.transcribe(request);
    }
  }
  const { session, send } = sessionWith(new Recording({ ...behaviour, delayMs: 0 }));
  for (const audio of pcm16Chunks([{ seconds: speechSeconds, loud: true }, { seconds: 1, loud: false }])) {
    await send({ type: 'input_audio_buffer.append', audio });
    audioSent += 0.02;
  }
  await session.settled();
  return starts;
}

describe('RealtimeSession', () => {
  it('server VAD: started → deltas while speaking → stopped → committed → completed; deltas are append-only and add up to the final', async () => {
    const transcriber = new CountingTranscriber();
    const { session, sent, send } = sessionWith(transcriber);
    for (const audio of pcm16Chunks([{ seconds: 0.5, loud: false }, { seconds: 3, loud: true }, { seconds: 1, loud: false }])) {
      await send({ type: 'input_audio_buffer.append', audio });
      // Give in-flight partial decodes a turn, as real time would.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await session.settled();
    expect(sent[0]?.type).toBe('session.created');
    const order = types(sent).filter((type) => type !== 'conversation.item.input_audio_transcription.delta');
    expect(order).toEqual([
      'session.created',
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.input_audio_transcription.completed',
    ]);
    const started = sent.find((event) => event.type === 'input_audio_buffer.speech_started');
    const stopped = sent.find((event) => event.type === 'input_audio_buffer.speech_stopped');
    expect(started).toMatchObject({ audio_start_ms: expect.closeTo(500, -2) });
    expect(stopped).toMatchObject({ audio_end_ms: expect.closeTo(3500, -2), item_id: (started as { item_id: string }).item_id });
    const stoppedAt = sent.indexOf(stopped as ServerEvent);
    expect(sent.slice(2, stoppedAt).some((event) => event.type === 'conversation.item.input_audio_transcription.delta')).toBe(true);
    const completed = sent.at(-1) as Extract<ServerEvent, { type: 'conversation.item.input_audio_transcription.completed' }>;
    expect(deltasOf(sent).join('')).toBe(completed.transcript);
    expect(completed.usage.seconds).toBeGreaterThan(3);
    expect(transcriber.calls.filter((kind) => kind === 'final')).toHaveLength(1);
  });

  it('when partials are dropped (engine busy) the turn still ends with its final, as one delta and completed', async () => {
    const { session, sent, send } = sessionWith(new CountingTranscriber({ partials: 'drop' }));
    for (const audio of pcm16Chunks([{ seconds: 2, loud: true }, { seconds: 0.8, loud: false }])) await send({ type: 'input_audio_buffer.append', audio });
    await session.settled();
    const completed = sent.find((event) => event.type === 'conversation.item.input_audio_transcription.completed') as { transcript: string };
    expect(deltasOf(sent)).toEqual([completed.transcript]);
  });

  it('manual turns (turn_detection null, G.711 μ-law): commit → committed → completed; an empty commit is an error echoing the event id', async () => {
    const { session, sent, send } = sessionWith(new CountingTranscriber());
    await send({ type: 'session.update', session: { type: 'transcription', audio: { input: { format: { type: 'audio/pcmu' }, turn_detection: null } } } });
    expect(sent[1]).toMatchObject({ type: 'session.updated', session: { audio: { input: { format: { type: 'audio/pcmu' }, turn_detection: null } } } });
    await send({ type: 'input_audio_buffer.commit', event_id: 'evt_1' });
    expect(sent[2]).toMatchObject({ type: 'error', error: { code: 'EMPTY_FILE', event_id: 'evt_1' } });
    const loud = Buffer.from(Array.from({ length: 8_000 * 2.1 }, (_, i) => (i % 2 === 0 ? 0x80 : 0x00)));
    expect(MU_LAW_TABLE[0x80]).toBeGreaterThan(30_000);
    await send({ type: 'input_audio_buffer.append', audio: loud.toString('base64') });
    await send({ type: 'input_audio_buffer.commit' });
    await session.settled();
    expect(types(sent).slice(3)).toEqual([
      'input_audio_buffer.committed',
      'conversation.item.input_audio_transcription.delta',
      'conversation.item.input_audio_transcription.completed',
    ]);
    expect(sent[5]).toMatchObject({ transcript: WORDS.slice(0, 6).join(' ') + '.', usage: { type: 'duration', seconds: expect.closeTo(2.1, 1) } });
  });

  it('the beta transcription_session.update is answered in its own shape', async () => {
    const { sent, send } = sessionWith(new CountingTranscriber());
    await send({ type: 'transcription_session.update', session: { input_audio_format: 'g711_alaw', input_audio_transcription: { model: 'whisper-1', language: 'en' }, turn_detection: { type: 'server_vad', threshold: 0.6, silence_duration_ms: 700 } } });
    expect(sent[1]).toMatchObject({
      type: 'transcription_session.updated',
      session: { input_audio_format: 'g711_alaw', input_audio_transcription: { language: 'en' }, turn_detection: { threshold: 0.6, silence_duration_ms: 700, prefix_padding_ms: 300 } },
    });
  });

  it('clear drops an open turn: cleared, and no completed for it', async () => {
    const { session, sent, send } = sessionWith(new CountingTranscriber());
    for (const audio of pcm16Chunks([{ seconds: 1, loud: true }])) await send({ type: 'input_audio_buffer.append', audio });
    await send({ type: 'input_audio_buffer.clear' });
    await session.settled();
    expect(types(sent)).toContain('input_audio_buffer.cleared');
    expect(types(sent)).not.toContain('conversation.item.input_audio_transcription.completed');
    expect(types(sent)).not.toContain('input_audio_buffer.committed');
  });

  it('an engine failure fails the turn with our stable code; bad events are errors with codes and params', async () => {
    const { session, sent, send } = sessionWith(new CountingTranscriber({ fail: new DomainError('ENGINE_TIMEOUT', 'too slow') }));
    await send({ type: 'session.update', session: { type: 'transcription', audio: { input: { turn_detection: null } } } });
    await send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(24_000).toString('base64') });
    await send({ type: 'input_audio_buffer.commit' });
    await session.settled();
    expect(sent.find((event) => event.type === 'conversation.item.input_audio_transcription.failed')).toMatchObject({ error: { code: 'ENGINE_TIMEOUT', message: 'too slow' } });

    await send({ type: 'response.create' });
    await session.receive('not json');
    await send({ type: 'input_audio_buffer.append', audio: 'not base64!' });
    await send({ type: 'session.update', session: { type: 'realtime' } });
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: { type: 'server_vad', threshold: 2 } } } } });
    const errors = sent.filter((event) => event.type === 'error').map((event) => (event as { error: { code: string; param: string | null } }).error);
    expect(errors.map((error) => [error.code, error.param])).toEqual([
      ['INVALID_OPTION', 'type'],
      ['INVALID_OPTION', 'event'],
      ['INVALID_OPTION', 'audio'],
      ['INVALID_OPTION', 'session.type'],
      ['INVALID_OPTION', 'session.audio.input.turn_detection.threshold'],
    ]);
  });

  it('bounds the audio waiting for final decodes: beyond a minute, a turn fails with ENGINE_BUSY instead of queueing', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class SlowTranscriber extends TurnTranscriber {
      readonly incremental = true;
      async transcribe(): Promise<string> {
        await gate;
        return 'done';
      }
    }
    const { session, sent, send } = sessionWith(new SlowTranscriber());
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: null } } } });
    const twentyFiveSeconds = Buffer.alloc(48_000 * 25).toString('base64');
    for (let turn = 0; turn < 3; turn += 1) {
      await send({ type: 'input_audio_buffer.append', audio: twentyFiveSeconds });
      await send({ type: 'input_audio_buffer.commit' });
    }
    expect(sent.filter((event) => event.type === 'conversation.item.input_audio_transcription.failed').map((event) => (event as { error: { code: string } }).error.code)).toEqual(['ENGINE_BUSY']);
    release();
    await session.settled();
    expect(types(sent).filter((type) => type === 'conversation.item.input_audio_transcription.completed')).toHaveLength(2);
  });

  it("gives Whisper the session prompt only, never earlier turns' text (streamed finals then match the file transcript)", async () => {
    const transcriber = new CountingTranscriber();
    const { session, send } = sessionWith(transcriber);
    await send({ type: 'session.update', session: { audio: { input: { turn_detection: null, transcription: { prompt: 'Speaker: JFK.' } } } } });
    for (let turn = 0; turn < 2; turn += 1) {
      await send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(48_000).toString('base64') });
      await send({ type: 'input_audio_buffer.commit' });
      await session.settled();
    }
    expect(transcriber.prompts).toEqual(['Speaker: JFK.', 'Speaker: JFK.']);
  });

  it('speculative final: the decode starts ~100 ms into the silence, completed waits for the turn to end; speech that resumes drops and cancels it', async () => {
    const finals: Array<{ at: number; seconds: number; signal: AbortSignal }> = [];
    const sent: ServerEvent[] = [];
    let audioSent = 0;
    class RecordingTranscriber extends CountingTranscriber {
      override async transcribe(request: TurnRequest): Promise<string | null> {
        if (request.kind === 'final') finals.push({ at: audioSent, seconds: request.samples.length / 16_000, signal: request.signal });
        return super.transcribe(request);
      }
    }
    // Decodes that end at once: with a 5 ms one the speculation waited for a partial still in flight for a varying
    // number of chunks, depending on the machine's load (it failed under load).
    const session = new RealtimeSession({ send: (event) => sent.push(event), detector: new LoudnessDetector(), transcriber: new RecordingTranscriber({ delayMs: 0 }), limits: { maxTurnSeconds: 30, partialIntervalMs: 300 } });
    // Speech, a 300 ms pause (shorter than silence_duration_ms: the turn goes on), speech, then silence that ends it.
    const chunks = pcm16Chunks([{ seconds: 1.5, loud: true }, { seconds: 0.3, loud: false }, { seconds: 1, loud: true }, { seconds: 1, loud: false }]);
    for (const audio of chunks) {
      await session.receive(JSON.stringify({ type: 'input_audio_buffer.append', audio }));
      audioSent += 0.02;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await session.settled();
    // One speculation in the pause (dropped), one in the final silence (used): no third decode after the turn ended.
    expect(finals).toHaveLength(2);
    expect(finals[0]!.at).toBeCloseTo(1.5 + 0.1, 1);
    expect(finals[1]!.at).toBeCloseTo(2.8 + 0.1, 1);
    // The dropped one was cancelled (its engine time is wanted), the used one was not.
    expect(finals[0]!.signal.aborted).toBe(true);
    expect(finals[1]!.signal.aborted).toBe(false);
    const stopped = sent.find((event) => event.type === 'input_audio_buffer.speech_stopped') as { audio_end_ms: number };
    expect(stopped.audio_end_ms).toBeCloseTo(2800, -2);
    // The speculated audio is the turn's: from its start to 200 ms into the silence, although less had been heard.
    expect(finals[1]!.seconds).toBeCloseTo(2.8 + 0.2, 1);
    expect(finals[1]!.at).toBeLessThan(2.8 + 0.2);
    const completed = sent.filter((event) => event.type === 'conversation.item.input_audio_transcription.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ transcript: WORDS.slice(0, 9).join(' ') + '.' });
  });

  it('a short turn speculates its final ~100 ms into the silence even without partial text; a long one without text does not', async () => {
    // Partials dropped (no text ever out), as for a one-word turn whose partials never agree.
    const short = await finalStarts(0.8, { partials: 'drop' });
    expect(short).toHaveLength(1);
    expect(short[0]).toBeCloseTo(0.8 + 0.1, 1); // not at the turn's end (0.8 + 0.5 s)
    const long = await finalStarts(2.5, { partials: 'drop' });
    expect(long).toHaveLength(1);
    expect(long[0]!).toBeGreaterThan(2.5 + 0.45); // when the turn ended
  });

  it('an engine that is not decoded incrementally (http, sagemaker) gets one call per committed turn: no partials, no speculation', async () => {
    const transcriber = new CountingTranscriber({ incremental: false, delayMs: 0 });
    const { session, sent, send } = sessionWith(transcriber);
    // Two turns, the first with a pause shorter than silence_duration_ms inside it (a speculation would start there).
    const chunks = pcm16Chunks([{ seconds: 1.5, loud: true }, { seconds: 0.3, loud: false }, { seconds: 1, loud: true }, { seconds: 1, loud: false }, { seconds: 2, loud: true }, { seconds: 1, loud: false }]);
    for (const audio of chunks) await send({ type: 'input_audio_buffer.append', audio });
    await session.settled();
    expect(transcriber.calls).toEqual(['final', 'final']);
    const completed = sent.filter((event) => event.type === 'conversation.item.input_audio_transcription.completed') as Array<{ item_id: string; transcript: string }>;
    expect(completed).toHaveLength(2);
    // Each turn's text comes as one delta, then completed with the same text.
    for (const turn of completed) expect(deltasOf(sent, turn.item_id)).toEqual([turn.transcript]);
  });

  it('a turn of 8 s or more speculates its final at the first silent frame, not ~100 ms in: its decode is the long one', async () => {
    const long = await finalStarts(8.5);
    expect(long).toHaveLength(1);
    // The silence's first wholly silent 32 ms VAD frame (8.512–8.544 s), scored with the 20 ms chunk that completes it
    // (finals record the audio sent before the chunk under way).
    expect(long[0]!).toBeGreaterThan(8.5);
    expect(long[0]!).toBeLessThan(8.5 + 0.06);
    const shorter = await finalStarts(7.5);
    expect(shorter).toHaveLength(1);
    expect(shorter[0]!).toBeGreaterThan(7.5 + 0.09);
    expect(shorter[0]!).toBeLessThan(7.5 + 0.15);
  });

  it('until its first words are out a turn is decoded twice as often; then at the configured interval', async () => {
    const partialsAt: number[] = [];
    let audioSent = 0;
    class Recording extends CountingTranscriber {
      override async transcribe(request: TurnRequest): Promise<string | null> {
        if (request.kind === 'partial') partialsAt.push(Math.round(audioSent * 1000));
        return super.transcribe(request);
      }
    }
    // 3 words a second (CountingTranscriber): the first partial (0.5 s) and the second agree on the first word.
    const { session, send } = sessionWith(new Recording({ delayMs: 0 }));
    for (const audio of pcm16Chunks([{ seconds: 3, loud: true }, { seconds: 1, loud: false }])) {
      await send({ type: 'input_audio_buffer.append', audio });
      audioSent += 0.02;
    }
    await session.settled();
    const gaps = partialsAt.slice(1).map((at, i) => at - partialsAt[i]!);
    // partialIntervalMs 300: 150 ms apart until the second partial commits words, 300 ms after.
    expect(gaps[0]).toBeCloseTo(150, -2);
    expect(gaps.slice(1).every((gap) => Math.abs(gap - 300) <= 40)).toBe(true);
  });

  it("a speculative final's text that agrees with the last partial goes out as a delta before the turn ends", async () => {
    // One partial only (the engine drops the rest), so nothing can agree with it but the speculation.
    class OnePartial extends CountingTranscriber {
      private partials = 0;
      override async transcribe(request: TurnRequest): Promise<string | null> {
        if (request.kind === 'partial' && (this.partials += 1) > 1) return null;
        return super.transcribe(request);
      }
    }
    const { session, sent, send } = sessionWith(new OnePartial({ delayMs: 0 }));
    for (const audio of pcm16Chunks([{ seconds: 1, loud: true }, { seconds: 0.3, loud: false }])) await send({ type: 'input_audio_buffer.append', audio });
    await new Promise((resolve) => setImmediate(resolve));
    // 300 ms of silence: the turn (silence_duration_ms 500) has not ended, yet the words both decodes agree on are out.
    expect(types(sent)).not.toContain('input_audio_buffer.committed');
    expect(deltasOf(sent).join('')).toBe('and'); // the one word of the partial (0.5 s of speech)
    for (const audio of pcm16Chunks([{ seconds: 0.5, loud: false }])) await send({ type: 'input_audio_buffer.append', audio });
    await session.settled();
    const completed = sent.find((event) => event.type === 'conversation.item.input_audio_transcription.completed') as { transcript: string };
    expect(deltasOf(sent).join('')).toBe(completed.transcript);
  });

  it('a turn that spoke for a second without any text asks that its partials be kept against other finals', async () => {
    const kept: Array<{ seconds: number; keep: boolean }> = [];
    class Recording extends CountingTranscriber {
      override async transcribe(request: TurnRequest): Promise<string | null> {
        if (request.kind === 'partial') kept.push({ seconds: request.samples.length / 16_000, keep: request.keepForFinals === true });
        return super.transcribe(request);
      }
    }
    // Partials dropped (a busy engine): the turn never gets text, so from 1 s of speech on its partials are kept.
    const { session, send } = sessionWith(new Recording({ partials: 'drop', delayMs: 0 }));
    for (const audio of pcm16Chunks([{ seconds: 2.5, loud: true }, { seconds: 1, loud: false }])) await send({ type: 'input_audio_buffer.append', audio });
    await session.settled();
    expect(kept.filter((p) => p.seconds < 1).every((p) => !p.keep)).toBe(true);
    expect(kept.filter((p) => p.seconds >= 1.4).length).toBeGreaterThan(0);
    expect(kept.filter((p) => p.seconds >= 1.4).every((p) => p.keep)).toBe(true);

    // With text out (partials answered), later partials are cancellable again.
    kept.length = 0;
    const answered = sessionWith(new Recording({ delayMs: 0 }));
    for (const audio of pcm16Chunks([{ seconds: 3, loud: true }, { seconds: 1, loud: false }])) await answered.send({ type: 'input_audio_buffer.append', audio });
    await answered.session.settled();
    expect(kept.at(-1)!.keep).toBe(false);
  });

  it('after a slow partial the next one waits half as long again (partials take at most ~2/3 of the engine)', async () => {
    const starts: number[] = [];
    class SlowPartials extends TurnTranscriber {
      readonly incremental = true;
      async transcribe(request: TurnRequest): Promise<string> {
        if (request.kind === 'partial') starts.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, request.kind === 'partial' ? 400 : 1));
        return 'and so my fellow';
      }
    }
    const { session, send } = sessionWith(new SlowPartials());
    // 3 s of speech at real-time pace, 20 ms per append.
    for (const audio of pcm16Chunks([{ seconds: 3, loud: true }])) {
      await send({ type: 'input_audio_buffer.append', audio });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await session.settled();
    expect(starts.length).toBeGreaterThanOrEqual(2);
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    // 400 ms decodes: without the back-off the next would start at once (the audio interval has long passed).
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(590);
  });
});
