import type { InputAudioBufferAppendEvent, SessionUpdateEvent } from 'openai/resources/realtime/realtime';

/**
 * The server events of OpenAI's Realtime transcription protocol that the console reads (names and fields as in
 * the `openai` SDK's resources/realtime types); everything else the server sends is ignored.
 */
export type RealtimeServerEvent =
  | { type: 'session.created' | 'session.updated' | 'transcription_session.created' | 'transcription_session.updated' }
  | { type: 'input_audio_buffer.speech_started'; item_id: string; audio_start_ms: number }
  | { type: 'input_audio_buffer.speech_stopped'; item_id: string; audio_end_ms: number }
  | { type: 'input_audio_buffer.committed'; item_id: string; previous_item_id?: string | null }
  | { type: 'conversation.item.input_audio_transcription.delta'; item_id: string; delta?: string }
  | { type: 'conversation.item.input_audio_transcription.completed'; item_id: string; transcript: string }
  | { type: 'conversation.item.input_audio_transcription.failed'; item_id: string; error?: RealtimeErrorBody }
  | { type: 'error'; error: RealtimeErrorBody };

export interface RealtimeErrorBody {
  readonly type?: string;
  readonly code?: string | null;
  readonly message?: string;
}

export interface TranscriptionSettings {
  readonly model: string;
  /** ISO 639-1; omitted means detect. */
  readonly language?: string;
  readonly vad: { readonly threshold: number; readonly prefixPaddingMs: number; readonly silenceDurationMs: number };
}

export const REALTIME_SAMPLE_RATE = 24000;

/** The GA `session.update` for a transcription session: PCM16 mono 24 kHz in, server-side VAD cuts turns. */
export function sessionUpdate(settings: TranscriptionSettings): SessionUpdateEvent {
  return {
    type: 'session.update',
    session: {
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: REALTIME_SAMPLE_RATE },
          turn_detection: {
            type: 'server_vad',
            threshold: settings.vad.threshold,
            prefix_padding_ms: settings.vad.prefixPaddingMs,
            silence_duration_ms: settings.vad.silenceDurationMs,
          },
          transcription: { model: settings.model, ...(settings.language ? { language: settings.language } : {}) },
        },
      },
    },
  };
}

export function audioAppend(base64Pcm16: string): InputAudioBufferAppendEvent {
  return { type: 'input_audio_buffer.append', audio: base64Pcm16 };
}
