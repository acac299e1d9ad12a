import type OpenAI from 'openai';
import { assertRealtimeServerEvent } from '../../test/support/realtime-event-shapes';
import { DomainError } from '../common/domain-error';
import {
  cleared,
  committed,
  errorEvent,
  sessionCreated,
  sessionUpdated,
  speechStarted,
  speechStopped,
  transcriptionCompleted,
  transcriptionDelta,
  transcriptionFailed,
  transcriptionSessionUpdated,
} from './server-events';
import { DEFAULT_SESSION, type SessionSettings } from './session-settings';

/** GA server events, plus the beta answer to `transcription_session.update` (not in the GA union). */
type Server = OpenAI.Realtime.RealtimeServerEvent | OpenAI.Realtime.TranscriptionSessionUpdatedEvent;
const manual: SessionSettings = { ...DEFAULT_SESSION, format: 'g711_ulaw', turnDetection: null, language: 'en', prompt: 'Names: Ada.' };

describe('realtime server events', () => {
  // Compile time: each builder's result is assignable to the official SDK's event type (`satisfies` checks it).
  const events = [
    sessionCreated(DEFAULT_SESSION) satisfies OpenAI.Realtime.SessionCreatedEvent,
    sessionUpdated(manual) satisfies OpenAI.Realtime.SessionUpdatedEvent,
    transcriptionSessionUpdated(DEFAULT_SESSION) satisfies OpenAI.Realtime.TranscriptionSessionUpdatedEvent,
    transcriptionSessionUpdated(manual) satisfies OpenAI.Realtime.TranscriptionSessionUpdatedEvent,
    speechStarted('item_1', 1200.4) satisfies OpenAI.Realtime.InputAudioBufferSpeechStartedEvent,
    speechStopped('item_1', 3400) satisfies OpenAI.Realtime.InputAudioBufferSpeechStoppedEvent,
    committed('item_1', null) satisfies OpenAI.Realtime.InputAudioBufferCommittedEvent,
    cleared() satisfies OpenAI.Realtime.InputAudioBufferClearedEvent,
    transcriptionDelta('item_1', ' fellow') satisfies OpenAI.Realtime.ConversationItemInputAudioTranscriptionDeltaEvent,
    transcriptionCompleted('item_1', 'And so, my fellow Americans', 2.2) satisfies OpenAI.Realtime.ConversationItemInputAudioTranscriptionCompletedEvent,
    transcriptionFailed('item_1', new DomainError('ENGINE_TIMEOUT')) satisfies OpenAI.Realtime.ConversationItemInputAudioTranscriptionFailedEvent,
    errorEvent(new DomainError('INVALID_OPTION', 'bad', { param: 'session.type' }), 'evt_9') satisfies OpenAI.Realtime.RealtimeErrorEvent,
  ] satisfies Server[];

  it.each(events.map((event) => [event.type, event] as const))('%s passes the runtime shape check', (_type, event) => {
    expect(() => assertRealtimeServerEvent(JSON.parse(JSON.stringify(event)))).not.toThrow();
  });

  it('the session object names the format, transcription and turn detection as OpenAI does', () => {
    expect(sessionCreated(DEFAULT_SESSION).session).toEqual({
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: { model: 'whisper-1' },
          turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
        },
      },
    });
    expect(sessionUpdated(manual).session.audio.input).toMatchObject({ format: { type: 'audio/pcmu' }, turn_detection: null, transcription: { language: 'en', prompt: 'Names: Ada.' } });
  });

  it('errors carry our stable code, the param and the client event id; ids are unique', () => {
    const event = errorEvent(new DomainError('INVALID_OPTION', 'bad', { param: 'session.type' }), 'evt_9');
    expect(event.error).toEqual({ type: 'invalid_request_error', code: 'INVALID_OPTION', message: 'bad', param: 'session.type', event_id: 'evt_9' });
    expect(transcriptionFailed('item_1', new DomainError('ENGINE_BUSY')).error).toMatchObject({ code: 'ENGINE_BUSY', type: 'server_error' });
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  });

  it('the runtime check refuses undeclared fields and wrong types', () => {
    expect(() => assertRealtimeServerEvent({ ...speechStarted('item_1', 5), extra: 1 })).toThrow(/does not declare: extra/);
    expect(() => assertRealtimeServerEvent({ ...speechStarted('item_1', 5), audio_start_ms: '5' })).toThrow(/audio_start_ms/);
    expect(() => assertRealtimeServerEvent({ type: 'response.created' })).toThrow(/unknown event type/);
  });
});
