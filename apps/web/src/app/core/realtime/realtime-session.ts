import { computed, signal } from '@angular/core';
import { isErrorCode } from '@speech/contracts';
import type { ApiFailure } from '../api/api-error';
import { audioAppend, type RealtimeErrorBody, type RealtimeServerEvent, sessionUpdate, type TranscriptionSettings } from './realtime-events';

/** One utterance the server's VAD cut out of the stream. */
export interface RealtimeTurn {
  readonly itemId: string;
  /** Text so far: deltas only ever append. */
  readonly partial: string;
  /** The completed transcript; undefined while it is still arriving. */
  readonly final?: string;
  readonly startMs?: number;
  readonly endMs?: number;
  readonly failed?: ApiFailure;
}

export type SessionState = 'idle' | 'connecting' | 'open' | 'closing' | 'closed';

/** What the session needs of a WebSocket (the browser's; a fake in unit tests). */
export type SocketLike = Pick<WebSocket, 'readyState' | 'onopen' | 'onmessage' | 'onerror' | 'onclose' | 'send' | 'close'>;
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

const OPEN = 1;
/** How long stop() waits for turns still being transcribed before it closes the socket. */
const DRAIN_TIMEOUT_MS = 8000;

/**
 * A Realtime transcription session over one WebSocket. The browser cannot set headers on a WebSocket, so the API
 * key travels as a subprotocol (`openai-insecure-api-key.<key>`), as OpenAI's browser clients send it.
 */
export class RealtimeSession {
  readonly state = signal<SessionState>('idle');
  readonly turns = signal<readonly RealtimeTurn[]>([]);
  readonly error = signal<ApiFailure | undefined>(undefined);
  readonly pending = computed(() => this.turns().some((turn) => turn.final === undefined && !turn.failed));

  private socket?: SocketLike;
  private appendedSinceCommit = false;
  private drained?: () => void;

  constructor(private readonly createSocket: SocketFactory) {}

  connect(url: string, apiKey: string, settings: TranscriptionSettings): void {
    const protocols = apiKey ? ['realtime', `openai-insecure-api-key.${apiKey}`] : ['realtime'];
    this.state.set('connecting');
    this.error.set(undefined);
    const socket = this.createSocket(url, protocols);
    this.socket = socket;
    socket.onopen = () => {
      this.state.set('open');
      socket.send(JSON.stringify(sessionUpdate(settings)));
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => undefined; // the close event that follows says more
    socket.onclose = (event) => this.closed(event.code, event.reason);
  }

  /** Sends one batch of base64 PCM16 (24 kHz mono); dropped unless the socket is open. */
  append(base64Pcm16: string): void {
    if (this.socket?.readyState !== OPEN || this.state() !== 'open') return;
    this.socket.send(JSON.stringify(audioAppend(base64Pcm16)));
    this.appendedSinceCommit = true;
  }

  /** Commits audio the VAD has not cut yet, waits (bounded) for transcripts still arriving, then closes. */
  async stop(): Promise<void> {
    const socket = this.socket;
    if (!socket || this.state() !== 'open') {
      socket?.close(1000);
      return;
    }
    this.state.set('closing');
    if (this.appendedSinceCommit) socket.send(JSON.stringify({ type: 'input_audio_buffer.commit' }));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
      this.checkDrained();
    });
    socket.close(1000, 'done');
  }

  private receive(data: unknown): void {
    let event: RealtimeServerEvent;
    try {
      event = JSON.parse(String(data)) as RealtimeServerEvent;
    } catch {
      return; // not JSON: nothing this protocol sends
    }
    switch (event.type) {
      case 'input_audio_buffer.speech_started':
        this.upsert(event.item_id, { startMs: event.audio_start_ms });
        break;
      case 'input_audio_buffer.speech_stopped':
        this.upsert(event.item_id, { endMs: event.audio_end_ms });
        break;
      case 'input_audio_buffer.committed':
        this.appendedSinceCommit = false;
        this.upsert(event.item_id, {});
        break;
      case 'conversation.item.input_audio_transcription.delta':
        this.upsert(event.item_id, {}, event.delta ?? '');
        break;
      case 'conversation.item.input_audio_transcription.completed':
        this.upsert(event.item_id, { final: event.transcript });
        break;
      case 'conversation.item.input_audio_transcription.failed':
        this.upsert(event.item_id, { failed: toFailure(event.error) });
        break;
      case 'error':
        this.error.set(toFailure(event.error));
        break;
    }
    this.checkDrained();
  }

  private upsert(itemId: string, change: Partial<RealtimeTurn>, delta = ''): void {
    this.turns.update((turns) => {
      const index = turns.findIndex((turn) => turn.itemId === itemId);
      const current: RealtimeTurn = index >= 0 ? turns[index] : { itemId, partial: '' };
      const next: RealtimeTurn = { ...current, ...change, partial: current.partial + delta };
      return index >= 0 ? turns.map((turn, i) => (i === index ? next : turn)) : [...turns, next];
    });
  }

  private checkDrained(): void {
    if (this.drained && this.state() === 'closing' && !this.appendedSinceCommit && !this.pending()) {
      const done = this.drained;
      this.drained = undefined;
      done();
    }
  }

  private closed(code: number, reason: string): void {
    const wasConnecting = this.state() === 'connecting';
    this.state.set('closed');
    this.socket = undefined;
    this.drained?.();
    if (this.error()) return;
    if (wasConnecting) {
      this.error.set({ status: 0, detail: reason || `The realtime connection was refused (close code ${code}).` });
    } else if (code !== 1000 && code !== 1005) {
      this.error.set({ status: 0, detail: reason || `The realtime connection closed unexpectedly (close code ${code}).` });
    }
  }
}

/** A Realtime `error` body as the console's ApiFailure: the stable code when the server sent one of ours. */
export function toFailure(error: RealtimeErrorBody | undefined): ApiFailure {
  const code = error?.code ?? undefined;
  return { code: isErrorCode(code) ? code : undefined, status: 0, detail: error?.message };
}
