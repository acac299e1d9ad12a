import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { RealtimeConfig } from '../config/app-config';
import { TurnTranscriber } from '../streaming/turn-transcriber';
import { SpeechDetector, type SpeechFrameScorer, VAD_FRAME_SAMPLES } from '../vad/speech-detector.port';
import { serveRealtimeConnection } from './realtime-connection';

/** The parts of a `ws` socket the connection uses. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Array<{ type: string; error?: { code: string } }> = [];
  closedWith: { code: number; reason: string } | null = null;
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
    this.readyState = 3;
    this.emit('close');
  }
}

class SilentDetector extends SpeechDetector {
  open(): SpeechFrameScorer {
    return { score: async (samples) => new Float32Array(samples.length / VAD_FRAME_SAMPLES) };
  }
  close(): Promise<void> {
    return Promise.resolve(); // nothing loaded
  }
}

class GatedTranscriber extends TurnTranscriber {
  readonly incremental = true;
  release: () => void = () => undefined;
  async transcribe(): Promise<string> {
    await new Promise<void>((resolve) => (this.release = resolve));
    return 'text';
  }
}

const config: RealtimeConfig = { vadModelPath: '', maxSessions: 1, maxSessionsPerKey: 1, idleTimeoutMs: 80, maxSessionMs: 10_000, maxTurnSeconds: 30, partialIntervalMs: 700, fitFinalMaxSeconds: 0, fitFinalMinSeconds: 0, fitPartials: false, shortFinalWindowSeconds: 30, temperatureFallback: true, partials: 'auto' };
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function serve(overrides: Partial<RealtimeConfig> = {}, transcriber: TurnTranscriber = new GatedTranscriber()) {
  const socket = new FakeSocket();
  let closed = 0;
  serveRealtimeConnection(socket as unknown as WebSocket, { detector: new SilentDetector(), transcriber, config: { ...config, ...overrides }, onClosed: () => (closed += 1) });
  return { socket, closed: () => closed };
}

describe('serveRealtimeConnection', () => {
  it('closes an idle session with REQUEST_TIMEOUT and frees its place once', async () => {
    const { socket, closed } = serve();
    await wait(150);
    expect(socket.sent.map((event) => event.type)).toEqual(['session.created', 'error']);
    expect(socket.sent[1]?.error?.code).toBe('REQUEST_TIMEOUT');
    expect(socket.closedWith).toEqual({ code: 1008, reason: 'REQUEST_TIMEOUT' });
    socket.emit('close');
    expect(closed()).toBe(1);
  });

  it('is not idle while it owes the client a final transcript', async () => {
    const transcriber = new GatedTranscriber();
    const { socket } = serve({}, transcriber);
    const send = (event: object) => socket.emit('message', Buffer.from(JSON.stringify(event)), false);
    send({ type: 'session.update', session: { audio: { input: { turn_detection: null } } } });
    send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(24_000).toString('base64') });
    send({ type: 'input_audio_buffer.commit' });
    await wait(250);
    expect(socket.closedWith).toBeNull();
    transcriber.release();
    await wait(150);
    expect(socket.sent.map((event) => event.type)).toContain('conversation.item.input_audio_transcription.completed');
    expect(socket.closedWith).toEqual({ code: 1008, reason: 'REQUEST_TIMEOUT' });
  });

  it('ends a session at its longest duration; binary frames are refused with an error event', async () => {
    const { socket } = serve({ idleTimeoutMs: 10_000, maxSessionMs: 100 });
    socket.emit('message', Buffer.from([1, 2, 3]), true);
    expect(socket.sent[1]).toMatchObject({ type: 'error', error: { code: 'INVALID_OPTION' } });
    await wait(180);
    expect(socket.closedWith).toEqual({ code: 1008, reason: 'AUDIO_TOO_LONG' });
  });

  it('disconnects a client that stops reading its events', () => {
    const { socket } = serve({ idleTimeoutMs: 10_000 });
    socket.bufferedAmount = 5 * 1024 * 1024;
    socket.emit('message', Buffer.from('{"type":"input_audio_buffer.clear"}'), false);
    return wait(20).then(() => expect(socket.closedWith).toEqual({ code: 1008, reason: 'client is not reading its events' }));
  });
});
