import { DomainError, isDomainError } from '../common/domain-error';
import { AudioWindow } from '../streaming/audio-window';
import { deltaText, LocalAgreement } from '../streaming/local-agreement';
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
/** Previous text given to Whisper as context: about 40 words (whisper.cpp keeps at most ~224 prompt tokens). */
const PROMPT_CONTEXT_CHARS = 200;
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
}

/**
 * One realtime transcription session, the protocol without the socket: client events in, server events out.
 * Audio is decoded to 16 kHz and, with server VAD, scored frame by frame by Silero; a turn's growing audio is decoded
 * again every `partialIntervalMs` (skipped while the engine is busy) and LocalAgreement-2 decides which words become
 * deltas; at the end of the turn a final decode of the whole turn gives `completed`. Client events are handled one at
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
  /** The end of the text of the turns so far (prompt context for the next ones). */
  private context = '';
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
        lastPartialAt: event.atSample,
        partialInFlight: false,
        closed: false,
      };
      this.ports.send(events.speechStarted(this.turn.item, toMs(event.atSample)));
      return;
    }
    const turn = this.turn;
    if (!turn) return;
    this.ports.send(events.speechStopped(turn.item, toMs(event.atSample)));
    const end = event.forced ? event.atSample : Math.min(event.atSample + TURN_TAIL_SAMPLES, this.scoredEnd);
    this.commitTurn(turn, this.window.slice(turn.audioStart, end));
    this.window.dropBefore(end);
  }

  private commit(): void {
    if (this.vad) {
      const turn = this.turn;
      if (!turn) throw emptyBuffer();
      this.vad.turns.reset();
      this.commitTurn(turn, this.window.slice(turn.audioStart, this.scoredEnd));
      this.window.dropBefore(this.scoredEnd);
      return;
    }
    const samples = this.window.slice(this.window.start, this.window.end);
    if (samples.length < MIN_COMMIT_SAMPLES) throw emptyBuffer();
    this.window.clear();
    this.commitTurn({ item: events.itemId(), audioStart: 0, speechStart: 0, agreement: new LocalAgreement(), lastPartialAt: 0, partialInFlight: false, closed: false }, samples);
  }

  private clear(): void {
    this.abandonTurn();
    this.vad?.turns.reset();
    this.window.clear();
    this.scoredEnd = Math.max(this.scoredEnd, this.window.end);
    this.ports.send(events.cleared());
  }

  private abandonTurn(): void {
    if (this.turn) this.turn.closed = true;
    this.turn = null;
  }

  /** `committed` now; the final decode runs after the turns before it, and ends in `completed` (or `failed`). */
  private commitTurn(turn: Turn, samples: Float32Array): void {
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
      .then(() => this.finalDecode(turn, samples))
      .finally(() => {
        this.pendingFinals -= 1;
        this.pendingFinalSamples -= samples.length;
      });
  }

  private async finalDecode(turn: Turn, samples: Float32Array): Promise<void> {
    if (this.stop.signal.aborted) return;
    try {
      const text = (await this.ports.transcriber.transcribe({ samples, kind: 'final', signal: this.stop.signal, ...this.languageAndPrompt() })) ?? '';
      const rest = turn.agreement.finish(text);
      if (rest.length > 0) this.ports.send(events.transcriptionDelta(turn.item, rest));
      this.ports.send(events.transcriptionCompleted(turn.item, text.trim(), samples.length / VAD_SAMPLE_RATE));
      this.context = [this.context, text.trim()].filter(Boolean).join(' ').slice(-PROMPT_CONTEXT_CHARS);
    } catch (error) {
      if (!this.stop.signal.aborted) this.ports.send(events.transcriptionFailed(turn.item, asDomainError(error)));
    }
  }

  /** While a turn is open: decode it again once `partialIntervalMs` more audio arrived, unless one is still running. */
  private maybePartial(): void {
    const turn = this.turn;
    // Finals first: while one of this session's turns waits for its final, partial text of the next one waits.
    if (!turn || turn.partialInFlight || this.pendingFinals > 0) return;
    const interval = (this.ports.limits.partialIntervalMs * VAD_SAMPLE_RATE) / 1000;
    if (this.scoredEnd - turn.lastPartialAt < interval || this.scoredEnd - turn.speechStart < MIN_PARTIAL_SAMPLES) return;
    // Partials take at most about two thirds of the engine's time: after a slow decode (a busy engine) the next waits
    // half as long again, so a turn's end more often finds the engine free for its final.
    if (performance.now() < this.nextPartialAt) return;
    turn.partialInFlight = true;
    turn.lastPartialAt = this.scoredEnd;
    const samples = this.window.slice(turn.audioStart, this.scoredEnd);
    const startedAt = performance.now();
    this.ports.transcriber
      .transcribe({ samples, kind: 'partial', signal: this.stop.signal, ...this.languageAndPrompt() })
      .then((text) => {
        if (text === null) return;
        const now = performance.now();
        this.nextPartialAt = now + 0.5 * (now - startedAt);
        if (turn.closed) return;
        const before = turn.agreement.committedWords.length;
        const fresh = turn.agreement.hypothesis(text);
        if (fresh.length > 0) this.ports.send(events.transcriptionDelta(turn.item, deltaText(fresh, before)));
      })
      // A failed partial only means less partial text; the final decides the turn.
      .catch(() => undefined)
      .finally(() => (turn.partialInFlight = false));
  }

  /**
   * The session's language, and as prompt its own prompt followed by the end of the last turns' text: Whisper decodes
   * a short turn better knowing what came before (as a file transcription knows the previous window).
   */
  private languageAndPrompt(): { language?: string; prompt?: string } {
    const prompt = [this.settings.prompt, this.context.slice(-PROMPT_CONTEXT_CHARS)].filter(Boolean).join(' ').trim();
    return { ...(this.settings.language ? { language: this.settings.language } : {}), ...(prompt ? { prompt } : {}) };
  }
}

const toMs = (sample: number) => (sample * 1000) / VAD_SAMPLE_RATE;

function emptyBuffer(): DomainError {
  return new DomainError('EMPTY_FILE', 'The input audio buffer holds no speech to commit (at least 100 ms are needed).', { param: 'input_audio_buffer' });
}

function asDomainError(error: unknown): DomainError {
  if (isDomainError(error)) return error;
  return new DomainError('INTERNAL_ERROR', 'The session could not handle this event.');
}
