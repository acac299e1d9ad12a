import { DomainError, isDomainError } from '../common/domain-error';
import { AudioWindow } from '../streaming/audio-window';
import { LocalAgreement } from '../streaming/local-agreement';
import { TurnDetector, type TurnEvent } from '../streaming/turn-detector';
import type { TurnTranscriber } from '../streaming/turn-transcriber';
import { type SpeechDetector, type SpeechFrameScorer, VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE } from '../vad/speech-detector.port';
import { InputAudio } from './input-audio';
import * as events from './server-events';
import type { ServerEvent } from './server-events';
import { applyBetaSessionUpdate, applySessionUpdate, DEFAULT_SESSION, type SessionSettings } from './session-settings';

export interface SessionLimits {
  readonly maxTurnSeconds: number;
  readonly partialIntervalMs: number;
}

export interface SessionPorts {
  readonly send: (event: ServerEvent) => void;
  readonly detector: SpeechDetector;
  readonly transcriber: TurnTranscriber;
  readonly limits: SessionLimits;
}

/** OpenAI refuses to commit less than 100 ms of audio. */
const MIN_COMMIT_SAMPLES = VAD_SAMPLE_RATE / 10;
/** Silence kept after the end of speech in a turn's audio (Whisper ends words better with a little room). */
const TURN_TAIL_SAMPLES = (VAD_SAMPLE_RATE * 200) / 1000;
/** A partial needs this much speech first: Whisper on a fraction of a word only guesses. */
const MIN_PARTIAL_SAMPLES = (VAD_SAMPLE_RATE * 500) / 1000;
/** Speech after which a turn without partial text keeps its partials against other sessions' finals (see waitingForText). */
const TEXT_DUE_SAMPLES = VAD_SAMPLE_RATE;
/**
 * A turn this short may speculate its final before any partial text is out. Its words are often too few for two
 * partials to agree on ("Added.", "Thank you."), so waiting for text meant its final started only when the turn
 * ended: ~880 ms from end of speech to completed instead of ~550 (bench/realtime.ts, one session).
 */
const SPECULATE_WITHOUT_TEXT_SAMPLES = 2 * VAD_SAMPLE_RATE;
/**
 * Silence heard before a final is speculated; the rest of TURN_TAIL_SAMPLES is zeros. Silero calls the silence a
 * little before a soft word ending has faded: speculating at the onset itself, the JFK clip's first turn came out
 * "and so am I fell America" (realtime-ws.e2e, every run) instead of "…my fellow Americans".
 */
const SPECULATE_AFTER_SILENCE_SAMPLES = (VAD_SAMPLE_RATE * 96) / 1000;
/**
 * A turn this long speculates at the first silent frame instead. Its final takes ~0.45 s to decode (17–19 s turns, 2
 * cores), more than the silence left after ~100 ms, so those 64 ms came straight out of `completed`: one session, 8
 * rounds (34 turns), end of speech → completed p95 700 → 543 ms, streamed WER 2.0 % both (bench/realtime.ts, Dec 4).
 * One soft last word in a turn this long weighs little; a short turn's decode is done before its silence is anyway.
 */
const LONG_TURN_SAMPLES = 8 * VAD_SAMPLE_RATE;
const SPECULATE_LONG_TURN_AFTER_SILENCE_SAMPLES = 0;
/**
 * Audio of the turns waiting for their final decode, per session (60 s: 3.8 MB of samples). A client that sends faster
 * than the engine transcribes gets ENGINE_BUSY for the turns beyond it, instead of an ever-growing backlog.
 */
const MAX_PENDING_FINAL_SAMPLES = 60 * VAD_SAMPLE_RATE;

interface Turn {
  readonly item: string;
  /** First sample of the turn's audio (prefix padding included). */
  readonly audioStart: number;
  readonly speechStart: number;
  readonly agreement: LocalAgreement;
  lastPartialAt: number;
  partialInFlight: boolean;
  /** Set when the turn was committed or cleared: late partial results are ignored. */
  closed: boolean;
  /** The final decode started when silence began (see speculate()), for the silence that began at `silenceSince`. */
  speculation: Speculation | null;
}

interface Speculation {
  readonly silenceSince: number;
  readonly text: Promise<string | null>;
  /** Stops the decode once it cannot be used (speech resumed, the turn was cleared or cut): the engine is wanted. */
  readonly cancel: AbortController;
}

/**
 * One realtime transcription session, the protocol without the socket: client events in, server events out.
 * Audio is decoded to 16 kHz and, with server VAD, scored frame by frame by Silero; a turn's growing audio is decoded
 * again every `partialIntervalMs` (skipped while the engine is busy) and LocalAgreement-2 decides which words become
 * deltas; at the end of the turn a final decode of the whole turn gives `completed`. A transcriber that is not
 * `incremental` (a remote engine) gets neither partials nor speculative finals: one call per committed turn. Client events are handled one at
 * a time, in order; the decodes run beside them.
 */
export class RealtimeSession {
  private settings: SessionSettings = DEFAULT_SESSION;
  private input = new InputAudio(DEFAULT_SESSION.format);
  private readonly window = new AudioWindow();
  private vad: { pass: SpeechFrameScorer; turns: TurnDetector } | null;
  /** Samples up to here have been scored by the VAD. */
  private scoredEnd = 0;
  private turn: Turn | null = null;
  private previousItem: string | null = null;
  private queue: Promise<void> = Promise.resolve();
  private finals: Promise<void> = Promise.resolve();
  private pendingFinals = 0;
  private pendingFinalSamples = 0;
  /** Speculative final decodes still running, used or dropped (see speculate()). */
  private speculating = 0;
  /** performance.now() before which no partial starts (set after each one, from how long it took). */
  private nextPartialAt = 0;
  private readonly stop = new AbortController();

  constructor(private readonly ports: SessionPorts) {
    this.vad = this.openVad();
    ports.send(events.sessionCreated(this.settings));
  }

  /** One client message (a JSON text frame); errors become `error` events. Resolves when it has been handled. */
  receive(message: string): Promise<void> {
    this.queue = this.queue.then(() => this.handle(message)).catch((error: unknown) => this.ports.send(events.errorEvent(asDomainError(error), null)));
    return this.queue;
  }

  /** Handled messages and every decode started so far have finished (tests, and a clean close). */
  async settled(): Promise<void> {
    await this.queue;
    await this.finals;
  }

  /** Turns still waiting for their final text: the session is not idle while the server owes the client events. */
  get owesTranscripts(): boolean {
    return this.pendingFinals > 0;
  }

  close(): void {
    this.stop.abort(new DomainError('CANCELLED', 'The realtime session ended.'));
    if (this.turn) this.turn.closed = true;
  }

  /** Drops the turn's speculative final (if any) and stops its decode: nobody will read it. */
  private dropSpeculation(turn: Turn): void {
    turn.speculation?.cancel.abort(SPECULATION_DROPPED);
    turn.speculation = null;
  }

  private async handle(message: string): Promise<void> {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(message) as Record<string, unknown>;
    } catch {
      throw new DomainError('INVALID_OPTION', 'Client events are JSON objects; this message is not JSON.', { param: 'event' });
    }
    if (typeof event !== 'object' || event === null) throw new DomainError('INVALID_OPTION', 'A client event is a JSON object.', { param: 'event' });
    const clientEventId = typeof event['event_id'] === 'string' ? event['event_id'] : null;
    try {
      await this.dispatch(event);
    } catch (error) {
      this.ports.send(events.errorEvent(asDomainError(error), clientEventId));
    }
  }

  private async dispatch(event: Record<string, unknown>): Promise<void> {
    switch (event['type']) {
      case 'session.update':
        this.apply(applySessionUpdate(this.settings, event['session']));
        this.ports.send(events.sessionUpdated(this.settings));
        return;
      case 'transcription_session.update':
        this.apply(applyBetaSessionUpdate(this.settings, event['session']));
        this.ports.send(events.transcriptionSessionUpdated(this.settings));
        return;
      case 'input_audio_buffer.append':
        return this.append(event['audio']);
      case 'input_audio_buffer.commit':
        return this.commit();
      case 'input_audio_buffer.clear':
        return this.clear();
      default:
        throw new DomainError('INVALID_OPTION', `Unknown or unsupported client event type ${JSON.stringify(event['type'])} for a transcription session.`, { param: 'type' });
    }
  }

  private apply(next: SessionSettings): void {
    const previous = this.settings;
    this.settings = next;
    if (next.format !== previous.format) this.input = new InputAudio(next.format);
    if (JSON.stringify(next.turnDetection) !== JSON.stringify(previous.turnDetection)) {
      // New turn rules start from here: an open turn is dropped, as a clear would.
      this.abandonTurn();
      this.window.clear();
      this.scoredEnd = this.window.end;
      this.vad = this.openVad();
    }
  }

  private openVad(): { pass: SpeechFrameScorer; turns: TurnDetector } | null {
    const settings = this.settings.turnDetection;
    if (!settings) return null;
    return { pass: this.ports.detector.open(), turns: new TurnDetector(settings, this.ports.limits.maxTurnSeconds * VAD_SAMPLE_RATE) };
  }

  private async append(audio: unknown): Promise<void> {
    if (typeof audio !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(audio)) {
      throw new DomainError('INVALID_OPTION', 'input_audio_buffer.append needs `audio`: base64-encoded audio in the session format.', { param: 'audio' });
    }
    const samples = this.input.decode(Buffer.from(audio, 'base64'));
    if (!this.vad) {
      const limit = this.ports.limits.maxTurnSeconds * VAD_SAMPLE_RATE;
      if (this.window.end - this.window.start + samples.length > limit) {
        throw new DomainError('AUDIO_TOO_LONG', `The input audio buffer may hold at most ${this.ports.limits.maxTurnSeconds} s; commit or clear it.`, {
          limit_seconds: this.ports.limits.maxTurnSeconds,
        });
      }
      this.window.append(samples);
      return;
    }
    this.window.append(samples);
    await this.score(this.vad);
    this.speculate(this.vad.turns);
    this.maybePartial();
  }

  /** Scores every whole frame not yet scored and acts on the turn events they produce. */
  private async score(vad: { pass: SpeechFrameScorer; turns: TurnDetector }): Promise<void> {
    const frames = Math.floor((this.window.end - this.scoredEnd) / VAD_FRAME_SAMPLES);
    if (frames === 0) return;
    const from = this.scoredEnd;
    const probabilities = await vad.pass.score(this.window.slice(from, from + frames * VAD_FRAME_SAMPLES));
    if (this.vad !== vad) return; // settings changed meanwhile
    for (let f = 0; f < frames; f += 1) {
      this.scoredEnd = from + (f + 1) * VAD_FRAME_SAMPLES;
      const event = vad.turns.push(probabilities[f] as number);
      if (event) this.onTurnEvent(event);
    }
    if (!this.turn) {
      // Between turns only the prefix padding can still become part of the next turn.
      const keep = ((this.settings.turnDetection?.prefixPaddingMs ?? 0) * VAD_SAMPLE_RATE) / 1000;
      this.window.dropBefore(this.scoredEnd - keep);
    }
  }

  private onTurnEvent(event: TurnEvent): void {
    if (event.kind === 'start') {
      const padding = ((this.settings.turnDetection?.prefixPaddingMs ?? 0) * VAD_SAMPLE_RATE) / 1000;
      this.turn = {
        item: events.itemId(),
        audioStart: Math.max(this.window.start, event.atSample - padding),
        speechStart: event.atSample,
        agreement: new LocalAgreement(),
        // The first partial comes as soon as MIN_PARTIAL_SAMPLES of speech are in, the next ones every interval.
        lastPartialAt: event.atSample - (this.ports.limits.partialIntervalMs * VAD_SAMPLE_RATE) / 1000,
        partialInFlight: false,
        closed: false,
        speculation: null,
      };
      this.ports.send(events.speechStarted(this.turn.item, toMs(event.atSample)));
      return;
    }
    const turn = this.turn;
    if (!turn) return;
    this.ports.send(events.speechStopped(turn.item, toMs(event.atSample)));
    const end = event.forced ? event.atSample : Math.min(event.atSample + TURN_TAIL_SAMPLES, this.scoredEnd);
    const speculation = !event.forced && turn.speculation?.silenceSince === event.atSample ? turn.speculation : null;
    if (!speculation) this.dropSpeculation(turn);
    this.commitTurn(turn, this.window.slice(turn.audioStart, end), speculation?.text);
    this.window.dropBefore(end);
  }

  /**
   * Speculative final: once the silence in a turn has lasted SPECULATE_AFTER_SILENCE_SAMPLES, the final decode of the
   * turn starts, instead of after `silence_duration_ms`, which alone would eat most of a 700 ms budget. Its audio is
   * the turn up to the silence heard so far, and zeros to TURN_TAIL_SAMPLES past the onset (Whisper's own padding is
   * zeros): waiting for the real 200 ms put every final 200 ms later, a long turn's past 700 ms (bench/realtime.ts,
   * 1 session, 8 rounds, 34 turns: end of speech → completed p95 757 ms). A partial still under way does not hold it back: the
   * final cancels it (turn-transcriber.ts). `completed` still waits for the turn to end; if speech resumes first the
   * decode is cancelled (the worker stops within one graph node, so the engine is free for the next decode at once)
   * and the next silence speculates again.
   */
  private speculate(turns: TurnDetector): void {
    const turn = this.turn;
    const since = turns.silenceSince;
    if (!turn || !this.ports.transcriber.incremental) return;
    if (turn.speculation && turn.speculation.silenceSince !== since) this.dropSpeculation(turn); // speech resumed
    // One speculation at a time, and none while finals wait: a dropped one still holds the engine until it ends, and
    // under load speculations at every short pause put the session behind (e2e: ENGINE_BUSY).
    // And only once partial text of the turn is out: a speculation counts as a final, so partials wait behind it, and
    // speculating at the first pause of a long turn left it without partial text (e2e, under load). A short turn
    // need not wait for text: it may never get any before it ends.
    if (since === null || turn.speculation || this.speculating > 0 || this.pendingFinals > 0) return;
    const short = since - turn.speechStart < SPECULATE_WITHOUT_TEXT_SAMPLES;
    if (turn.agreement.committedWords.length === 0 && !short) return;
    const long = since - turn.speechStart >= LONG_TURN_SAMPLES;
    if (this.scoredEnd - since < (long ? SPECULATE_LONG_TURN_AFTER_SILENCE_SAMPLES : SPECULATE_AFTER_SILENCE_SAMPLES)) return;
    const samples = turnThroughSilenceOnset(this.window.slice(turn.audioStart, Math.min(since + TURN_TAIL_SAMPLES, this.scoredEnd)), since + TURN_TAIL_SAMPLES - turn.audioStart);
    const cancel = new AbortController();
    const signal = AbortSignal.any([this.stop.signal, cancel.signal]);
    const text = this.ports.transcriber.transcribe({ samples, kind: 'final', signal, ...this.languageAndPrompt() });
    text.catch(() => undefined); // a dropped speculation's failure is nobody's; a used one is awaited in finalDecode
    // While the silence lasts, the speculation is one more hypothesis of the turn: words it agrees on with the last
    // partial go out now, not when the turn ends (`silence_duration_ms` later), as a short turn's only text did.
    void text
      .then((decoded) => {
        if (decoded !== null && turn.speculation?.text === text) this.hypothesis(turn, decoded);
      })
      .catch(() => undefined);
    this.speculating += 1;
    void text.finally(() => (this.speculating -= 1)).catch(() => undefined);
    turn.speculation = { silenceSince: since, text, cancel };
  }

  private commit(): void {
    if (this.vad) {
      const turn = this.turn;
      if (!turn) throw emptyBuffer();
      this.vad.turns.reset();
      this.dropSpeculation(turn); // it decodes less audio than the commit takes
      this.commitTurn(turn, this.window.slice(turn.audioStart, this.scoredEnd));
      this.window.dropBefore(this.scoredEnd);
      return;
    }
    const samples = this.window.slice(this.window.start, this.window.end);
    if (samples.length < MIN_COMMIT_SAMPLES) throw emptyBuffer();
    this.window.clear();
    this.commitTurn({ item: events.itemId(), audioStart: 0, speechStart: 0, agreement: new LocalAgreement(), lastPartialAt: 0, partialInFlight: false, closed: false, speculation: null }, samples);
  }

  private clear(): void {
    this.abandonTurn();
    this.vad?.turns.reset();
    this.window.clear();
    this.scoredEnd = Math.max(this.scoredEnd, this.window.end);
    this.ports.send(events.cleared());
  }

  private abandonTurn(): void {
    if (this.turn) {
      this.turn.closed = true;
      this.dropSpeculation(this.turn);
    }
    this.turn = null;
  }

  /**
   * `committed` now; the final decode runs after the turns before it (or is `decoded`, already under way), and ends in
   * `completed` (or `failed`).
   */
  private commitTurn(turn: Turn, samples: Float32Array, decoded?: Promise<string | null>): void {
    turn.closed = true;
    if (this.turn === turn) this.turn = null;
    this.ports.send(events.committed(turn.item, this.previousItem));
    this.previousItem = turn.item;
    if (this.pendingFinalSamples + samples.length > MAX_PENDING_FINAL_SAMPLES) {
      this.ports.send(events.transcriptionFailed(turn.item, new DomainError('ENGINE_BUSY', 'The engine is behind on this session (a minute of turns waits for it); this turn was not transcribed.')));
      return;
    }
    this.pendingFinals += 1;
    this.pendingFinalSamples += samples.length;
    this.finals = this.finals
      .then(() => this.finalDecode(turn, samples, decoded))
      .finally(() => {
        this.pendingFinals -= 1;
        this.pendingFinalSamples -= samples.length;
      });
  }

  private async finalDecode(turn: Turn, samples: Float32Array, decoded?: Promise<string | null>): Promise<void> {
    if (this.stop.signal.aborted) return;
    try {
      const request = { samples, kind: 'final' as const, signal: this.stop.signal, ...this.languageAndPrompt() };
      // A speculation that failed (a timeout under load, say) gets one ordinary try, as a turn without one would.
      const text = (decoded ? await decoded.catch(() => this.ports.transcriber.transcribe(request)) : await this.ports.transcriber.transcribe(request)) ?? '';
      const rest = turn.agreement.finish(text);
      if (rest.length > 0) this.ports.send(events.transcriptionDelta(turn.item, rest));
      this.ports.send(events.transcriptionCompleted(turn.item, text.trim(), samples.length / VAD_SAMPLE_RATE));
    } catch (error) {
      if (!this.stop.signal.aborted) this.ports.send(events.transcriptionFailed(turn.item, asDomainError(error)));
    }
  }

  /** While a turn is open: decode it again once `partialIntervalMs` more audio arrived, unless one is still running. */
  private maybePartial(): void {
    const turn = this.turn;
    // Finals first: while one of this session's turns waits for its final, partial text of the next one waits; and
    // once a final is speculated, more partial text of this turn would only delay it.
    if (!turn || !this.ports.transcriber.incremental || turn.partialInFlight || this.pendingFinals > 0 || turn.speculation) return;
    // Nor once the speaker paused: no new words came, and a partial started now would still hold the engine when the
    // speculative final wants it, 200 ms into the silence (a full-window decode takes ~0.9 s on 2 cores).
    if (this.vad?.turns.silenceSince != null) return;
    // Until the turn's first words are out, partials come twice as often: LocalAgreement needs two decodes that agree,
    // and the first ones, on half a second of speech, often end on a half-heard word ("Agent-law." then "Agent Log").
    const early = turn.agreement.committedWords.length === 0 ? 2 : 1;
    const interval = (this.ports.limits.partialIntervalMs * VAD_SAMPLE_RATE) / 1000 / early;
    if (this.scoredEnd - turn.lastPartialAt < interval || this.scoredEnd - turn.speechStart < MIN_PARTIAL_SAMPLES) return;
    // Partials take at most about two thirds of the engine's time: after a slow decode (a busy engine) the next waits
    // half as long again, so a turn's end more often finds the engine free for its final.
    if (performance.now() < this.nextPartialAt) return;
    turn.partialInFlight = true;
    turn.lastPartialAt = this.scoredEnd;
    const samples = this.window.slice(turn.audioStart, this.scoredEnd);
    const startedAt = performance.now();
    this.ports.transcriber
      .transcribe({ samples, kind: 'partial', keepForFinals: this.waitingForText(turn), signal: this.stop.signal, ...this.languageAndPrompt() })
      .then((text) => {
        if (text === null) return;
        const now = performance.now();
        this.nextPartialAt = now + 0.5 * (now - startedAt);
        this.hypothesis(turn, text);
      })
      // A failed partial only means less partial text; the final decides the turn.
      .catch(() => undefined)
      .finally(() => (turn.partialInFlight = false));
  }

  /** A decode of the open turn so far: the words LocalAgreement commits with it go out as a delta. */
  private hypothesis(turn: Turn, text: string): void {
    if (turn.closed) return;
    const delta = turn.agreement.hypothesis(text);
    if (delta.length > 0) this.ports.send(events.transcriptionDelta(turn.item, delta));
  }

  /**
   * A turn that has spoken for TEXT_DUE_SAMPLES and shown no text yet: its next partial is not cancelled by other
   * sessions' finals once it runs, so a long turn under load still shows text before it ends.
   */
  private waitingForText(turn: Turn): boolean {
    return turn.agreement.committedWords.length === 0 && this.scoredEnd - turn.speechStart >= TEXT_DUE_SAMPLES;
  }

  /**
   * The session's language and its own prompt, never earlier turns' text: with the previous turn as prompt, streamed
   * finals drifted from the file transcription of the same audio (a shaky turn conditioned the next), and a longer
   * prompt makes every decode slower.
   */
  private languageAndPrompt(): { language?: string; prompt?: string } {
    const prompt = (this.settings.prompt ?? '').trim();
    return { ...(this.settings.language ? { language: this.settings.language } : {}), ...(prompt ? { prompt } : {}) };
  }
}

/** The turn's samples so far, followed by zeros up to `length` samples. */
function turnThroughSilenceOnset(heard: Float32Array, length: number): Float32Array {
  if (heard.length >= length) return heard;
  const padded = new Float32Array(length);
  padded.set(heard);
  return padded;
}

const SPECULATION_DROPPED = new DomainError('CANCELLED', 'The speculative final was dropped: the turn went on.');

const toMs = (sample: number) => (sample * 1000) / VAD_SAMPLE_RATE;

function emptyBuffer(): DomainError {
  return new DomainError('EMPTY_FILE', 'The input audio buffer holds no speech to commit (at least 100 ms are needed).', { param: 'input_audio_buffer' });
}

function asDomainError(error: unknown): DomainError {
  if (isDomainError(error)) return error;
  return new DomainError('INTERNAL_ERROR', 'The session could not handle this event.');
}
