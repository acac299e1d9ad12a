import type { Job, TranscriptionResult } from '@speech/contracts';
import type { ServiceStatus } from '../app/core/api/generated/api.generated';

/** Shared test data for the console's specs. */
export function aJob(overrides: Partial<Job> = {}): Job {
  const id = overrides.id ?? 'job-1';
  return {
    id,
    status: 'queued',
    progress: 0,
    eta_seconds: null,
    created_at: '2026-01-01T11:58:00Z',
    started_at: null,
    finished_at: null,
    updated_at: '2026-01-01T11:58:00Z',
    attempts: 0,
    max_attempts: 3,
    error: null,
    options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'json' },
    audio: { filename: 'talk.mp3', bytes: 1000, duration_seconds: 75 },
    windows: { total: 1, done: 0 },
    callback_url: null,
    webhook_deliveries: [],
    result_expires_at: null,
    links: {
      self: `/api/v1/jobs/${id}`,
      transcript: `/api/v1/jobs/${id}/transcript.json`,
      events: `/api/v1/jobs/${id}/events`,
    },
    ...overrides,
  } as Job;
}

export const A_RESULT: TranscriptionResult = {
  text: 'Hello there. General Kenobi.',
  language: 'en',
  duration: 6,
  segments: [
    { id: 0, start: 0, end: 2.5, text: ' Hello there.', words: [{ word: 'Hello', start: 0, end: 1 }, { word: 'there.', start: 1, end: 2.5 }] },
    { id: 1, start: 3, end: 6, text: ' General Kenobi.', words: [{ word: 'General', start: 3, end: 4.5 }, { word: 'Kenobi.', start: 4.5, end: 6 }] },
  ],
};

export const A_STATUS: ServiceStatus = {
  service: 'speech-platform-api',
  version: '0.1.0',
  uptime_seconds: 5,
  engine: { name: 'local', model: '/models/ggml-tiny.bin' },
  queue: { running: 1, waiting: 2, concurrency: 1, capacity: 16 },
  limits: { max_file_size_bytes: 1000, max_audio_seconds: 1800, accepted_formats: ['mp3', 'wav', 'm4a', 'flac', 'ogg', 'webm'] },
  vad: { enabled: true, ready: true, model: 'silero-vad-v6.2.onnx' },
};

/**
 * A diarized transcript with quality flags. Speaker B speaks first, so B takes the first colour (order of appearance,
 * not of the labels); segment 1 is flagged low-confidence by the API, segment 2 is a known hallucination outside speech.
 */
export const A_DIARIZED_RESULT: TranscriptionResult = {
  text: 'Shall we start? Yes, go ahead. Thanks for watching. First item.',
  language: 'en',
  duration: 12,
  segments: [
    {
      id: 0, start: 0, end: 2, text: ' Shall we start?', speaker: 'B', avg_logprob: -0.2,
      words: [{ word: 'Shall', start: 0, end: 0.6, speaker: 'B' }, { word: 'we', start: 0.6, end: 1, speaker: 'B' }, { word: 'start?', start: 1, end: 2, speaker: 'B' }],
    },
    {
      id: 1, start: 2.5, end: 4, text: ' Yes, go ahead.', speaker: 'A', avg_logprob: -1.3, flags: ['low_confidence'],
      words: [{ word: 'Yes,', start: 2.5, end: 3, speaker: 'A' }, { word: 'go', start: 3, end: 3.4, speaker: 'A' }, { word: 'ahead.', start: 3.4, end: 4, speaker: 'A' }],
    },
    { id: 2, start: 5, end: 7, text: ' Thanks for watching.', speaker: 'A', flags: ['outside_speech', 'known_hallucination'] },
    { id: 3, start: 8, end: 12, text: ' First item.', speaker: 'B' },
  ],
};
