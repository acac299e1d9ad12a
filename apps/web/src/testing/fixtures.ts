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
