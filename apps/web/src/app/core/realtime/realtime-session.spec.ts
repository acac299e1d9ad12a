import { RealtimeSession } from './realtime-session';
import type { TranscriptionSettings } from './realtime-events';
import { FakeRealtimeSocket as FakeSocket } from './testing/fake-realtime-socket';

const SETTINGS: TranscriptionSettings = { model: 'whisper-1', language: 'en', vad: { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 } };

function connected(apiKey = 'sk-test'): { session: RealtimeSession; socket: FakeSocket } {
  let socket!: FakeSocket;
  const session = new RealtimeSession((url, protocols) => (socket = new FakeSocket(url, protocols)));
  session.connect('ws://localhost/v1/realtime?intent=transcription', apiKey, SETTINGS);
  return { session, socket };
}

describe('RealtimeSession', () => {
  it('authenticates through the subprotocol list and sends the GA session.update first', () => {
    const { session, socket } = connected();
    expect(socket.protocols).toEqual(['realtime', 'openai-insecure-api-key.sk-test']);
    socket.open();
    expect(session.state()).toBe('open');
    expect(socket.sent[0]).toEqual({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24000 },
            turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
            transcription: { model: 'whisper-1', language: 'en' },
          },
        },
      },
    });
  });

  it('connects with only the realtime subprotocol when no key is stored', () => {
    expect(connected('').socket.protocols).toEqual(['realtime']);
  });

  it('sends appends only while open', () => {
    const { session, socket } = connected();
    session.append('AAAA');
    socket.open();
    session.append('AQID');
    expect(socket.sent.slice(1)).toEqual([{ type: 'input_audio_buffer.append', audio: 'AQID' }]);
  });

  it('builds turns from VAD events, appends deltas and firms them up on completed', () => {
    const { session, socket } = connected();
    socket.open();
    socket.serve({ type: 'session.created' });
    socket.serve({ type: 'input_audio_buffer.speech_started', item_id: 'a', audio_start_ms: 120 });
    socket.serve({ type: 'input_audio_buffer.speech_stopped', item_id: 'a', audio_end_ms: 2100 });
    socket.serve({ type: 'input_audio_buffer.committed', item_id: 'a', previous_item_id: null });
    socket.serve({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'a', delta: 'And so' });
    socket.serve({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'a', delta: ', my fellow' });
    expect(session.turns()).toEqual([{ itemId: 'a', partial: 'And so, my fellow', startMs: 120, endMs: 2100 }]);
    expect(session.pending()).toBe(true);
    socket.serve({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'a', transcript: 'And so, my fellow Americans.' });
    expect(session.turns()[0].final).toBe('And so, my fellow Americans.');
    expect(session.pending()).toBe(false);
  });

  it('maps error events to failures with our stable code when the server sends one', () => {
    const { session, socket } = connected();
    socket.open();
    socket.serve({ type: 'error', error: { type: 'invalid_request_error', code: 'UNAUTHORIZED', message: 'A valid API key is required.' } });
    expect(session.error()).toEqual({ code: 'UNAUTHORIZED', status: 0, detail: 'A valid API key is required.' });
    socket.serve({ type: 'error', error: { type: 'server_error', code: 'something_else', message: 'boom' } });
    expect(session.error()).toEqual({ code: undefined, status: 0, detail: 'boom' });
  });

  it('marks a turn failed on transcription.failed', () => {
    const { session, socket } = connected();
    socket.open();
    socket.serve({ type: 'conversation.item.input_audio_transcription.failed', item_id: 'b', error: { code: 'MODEL_UNAVAILABLE', message: 'no model' } });
    expect(session.turns()[0].failed).toEqual({ code: 'MODEL_UNAVAILABLE', status: 0, detail: 'no model' });
    expect(session.pending()).toBe(false);
  });

  it('reports a connection refused before it opened', () => {
    const { session, socket } = connected();
    socket.drop(1006);
    expect(session.state()).toBe('closed');
    expect(session.error()?.detail).toContain('1006');
  });

  it('on stop commits uncut audio, waits for the last transcript, then closes normally', async () => {
    const { session, socket } = connected();
    socket.open();
    session.append('AQID');
    const stopped = session.stop();
    expect(socket.sent.at(-1)).toEqual({ type: 'input_audio_buffer.commit' });
    expect(socket.closedWith).toBeUndefined();
    socket.serve({ type: 'input_audio_buffer.committed', item_id: 'c' });
    socket.serve({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'c', transcript: 'Done.' });
    await stopped;
    expect(socket.closedWith).toBe(1000);
    expect(session.error()).toBeUndefined();
  });
});
