import { randomUUID } from 'node:crypto';
import { openAiErrorBody } from '../common/error-body';
import type { DomainError } from '../common/domain-error';
import type { InputAudioFormat, SessionSettings } from './session-settings';

/**
 * The server events of a realtime transcription session, with OpenAI's names and fields (checked against the official
 * SDK's RealtimeServerEvent types in server-events.spec.ts). Errors carry our stable code in `error.code`.
 */

const GA_FORMAT: Record<InputAudioFormat, { type: 'audio/pcm'; rate: 24000 } | { type: 'audio/pcmu' } | { type: 'audio/pcma' }> = {
  pcm16: { type: 'audio/pcm', rate: 24000 },
  g711_ulaw: { type: 'audio/pcmu' },
  g711_alaw: { type: 'audio/pcma' },
};

export const eventId = (): string => `event_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
export const itemId = (): string => `item_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

const turnDetectionOf = (settings: SessionSettings) =>
  settings.turnDetection === null
    ? null
    : {
        type: 'server_vad' as const,
        threshold: settings.turnDetection.threshold,
        prefix_padding_ms: settings.turnDetection.prefixPaddingMs,
        silence_duration_ms: settings.turnDetection.silenceDurationMs,
      };

const transcriptionOf = (settings: SessionSettings) => ({
  model: settings.model,
  ...(settings.language ? { language: settings.language } : {}),
  ...(settings.prompt ? { prompt: settings.prompt } : {}),
});

/** The GA session object of a transcription session. */
function gaSession(settings: SessionSettings) {
  return {
    type: 'transcription' as const,
    audio: { input: { format: GA_FORMAT[settings.format], transcription: transcriptionOf(settings), turn_detection: turnDetectionOf(settings) } },
  };
}

export const sessionCreated = (settings: SessionSettings) => ({ type: 'session.created' as const, event_id: eventId(), session: gaSession(settings) });
export const sessionUpdated = (settings: SessionSettings) => ({ type: 'session.updated' as const, event_id: eventId(), session: gaSession(settings) });

/** The beta answer to `transcription_session.update`. There are no ephemeral client secrets here: the value is empty. */
export function transcriptionSessionUpdated(settings: SessionSettings) {
  const turnDetection = turnDetectionOf(settings);
  return {
    type: 'transcription_session.updated' as const,
    event_id: eventId(),
    session: {
      client_secret: { value: '', expires_at: 0 },
      input_audio_format: settings.format,
      input_audio_transcription: transcriptionOf(settings),
      modalities: ['text' as const],
      ...(turnDetection ? { turn_detection: turnDetection } : {}),
    },
  };
}

export const speechStarted = (item: string, audioStartMs: number) =>
  ({ type: 'input_audio_buffer.speech_started' as const, event_id: eventId(), item_id: item, audio_start_ms: Math.round(audioStartMs) });

export const speechStopped = (item: string, audioEndMs: number) =>
  ({ type: 'input_audio_buffer.speech_stopped' as const, event_id: eventId(), item_id: item, audio_end_ms: Math.round(audioEndMs) });

export const committed = (item: string, previousItem: string | null) =>
  ({ type: 'input_audio_buffer.committed' as const, event_id: eventId(), item_id: item, previous_item_id: previousItem });

export const cleared = () => ({ type: 'input_audio_buffer.cleared' as const, event_id: eventId() });

export const transcriptionDelta = (item: string, delta: string) =>
  ({ type: 'conversation.item.input_audio_transcription.delta' as const, event_id: eventId(), item_id: item, content_index: 0, delta });

export const transcriptionCompleted = (item: string, transcript: string, audioSeconds: number) => ({
  type: 'conversation.item.input_audio_transcription.completed' as const,
  event_id: eventId(),
  item_id: item,
  content_index: 0,
  transcript,
  usage: { type: 'duration' as const, seconds: Math.round(audioSeconds * 1000) / 1000 },
});

export function transcriptionFailed(item: string, error: DomainError) {
  const { type, code, message } = openAiErrorBody(error).error;
  return {
    type: 'conversation.item.input_audio_transcription.failed' as const,
    event_id: eventId(),
    item_id: item,
    content_index: 0,
    error: { type, code, message },
  };
}

/** `error`: our stable code in `code`, the offending field in `param`, the client event's id in `event_id`. */
export function errorEvent(error: DomainError, clientEventId: string | null) {
  const body = openAiErrorBody(error).error;
  return {
    type: 'error' as const,
    event_id: eventId(),
    error: { type: body.type, code: body.code, message: body.message, param: body.param, event_id: clientEventId },
  };
}

export type ServerEvent =
  | ReturnType<typeof sessionCreated>
  | ReturnType<typeof sessionUpdated>
  | ReturnType<typeof transcriptionSessionUpdated>
  | ReturnType<typeof speechStarted>
  | ReturnType<typeof speechStopped>
  | ReturnType<typeof committed>
  | ReturnType<typeof cleared>
  | ReturnType<typeof transcriptionDelta>
  | ReturnType<typeof transcriptionCompleted>
  | ReturnType<typeof transcriptionFailed>
  | ReturnType<typeof errorEvent>;
