import type OpenAI from 'openai';

type Kind = 'string' | 'number' | 'object' | 'string|null' | 'object|null' | 'array';
/** Fields of each server event we send, as the official SDK declares them (resources/realtime/realtime.d.ts). */
const SHAPES: Record<string, { required: Record<string, Kind>; optional?: Record<string, Kind> }> = {
  'session.created': { required: { event_id: 'string', session: 'object' } },
  'session.updated': { required: { event_id: 'string', session: 'object' } },
  'transcription_session.updated': { required: { event_id: 'string', session: 'object' } },
  'input_audio_buffer.speech_started': { required: { event_id: 'string', item_id: 'string', audio_start_ms: 'number' } },
  'input_audio_buffer.speech_stopped': { required: { event_id: 'string', item_id: 'string', audio_end_ms: 'number' } },
  'input_audio_buffer.committed': { required: { event_id: 'string', item_id: 'string' }, optional: { previous_item_id: 'string|null' } },
  'input_audio_buffer.cleared': { required: { event_id: 'string' } },
  'conversation.item.input_audio_transcription.delta': {
    required: { event_id: 'string', item_id: 'string' },
    optional: { content_index: 'number', delta: 'string', logprobs: 'array' },
  },
  'conversation.item.input_audio_transcription.completed': {
    required: { event_id: 'string', item_id: 'string', content_index: 'number', transcript: 'string', usage: 'object' },
    optional: { logprobs: 'array' },
  },
  'conversation.item.input_audio_transcription.failed': { required: { event_id: 'string', item_id: 'string', content_index: 'number', error: 'object' } },
  error: { required: { event_id: 'string', error: 'object' } },
};

function kindOf(value: unknown): Kind {
  if (value === null) return 'object|null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

function matches(value: unknown, kind: Kind): boolean {
  if (kind === 'string|null') return value === null || typeof value === 'string';
  if (kind === 'object|null') return value === null || (typeof value === 'object' && !Array.isArray(value));
  return kindOf(value) === kind;
}

/**
 * Runtime check of one server event against the SDK's declared shape: a known type, every required field with its
 * type, and no field the SDK does not declare. The compile-time half is in server-events.spec.ts (`satisfies`).
 */
export function assertRealtimeServerEvent(event: unknown): asserts event is OpenAI.Realtime.RealtimeServerEvent | OpenAI.Realtime.TranscriptionSessionUpdatedEvent {
  if (typeof event !== 'object' || event === null) throw new Error(`not an object: ${JSON.stringify(event)}`);
  const record = event as Record<string, unknown>;
  const shape = SHAPES[String(record['type'])];
  if (!shape) throw new Error(`unknown event type ${JSON.stringify(record['type'])}`);
  for (const [field, kind] of Object.entries(shape.required)) {
    if (!matches(record[field], kind)) throw new Error(`${String(record['type'])}.${field} should be ${kind}: ${JSON.stringify(event)}`);
  }
  for (const [field, value] of Object.entries(record)) {
    if (field === 'type' || field in shape.required) continue;
    const kind = shape.optional?.[field];
    if (!kind) throw new Error(`${String(record['type'])} has a field the SDK does not declare: ${field}`);
    if (!matches(value, kind)) throw new Error(`${String(record['type'])}.${field} should be ${kind}: ${JSON.stringify(event)}`);
  }
  if (record['type'] === 'error') {
    const error = record['error'] as Record<string, unknown>;
    if (typeof error['message'] !== 'string' || typeof error['type'] !== 'string') throw new Error(`error.error lacks message/type: ${JSON.stringify(event)}`);
  }
}
