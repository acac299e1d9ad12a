import { ANONYMOUS_OWNER } from '../auth/principal';
import { newJobRecord } from './job-record';
import { toJob } from './job-view';

describe('toJob', () => {
  const record = {
    ...newJobRecord(
      {
        id: 'job_abc',
        options: { task: 'transcribe' as const, temperature: 0, word_timestamps: false, response_format: 'vtt' as const },
        audio: { filename: 'talk.m4a', bytes: 2048, format: 'm4a' as const },
        callbackUrl: 'https://hooks.example/x',
        idempotencyKey: 'secret-key',
        requestHash: 'hash',
        maxAttempts: 3,
        ownerId: ANONYMOUS_OWNER,
      },
      Date.UTC(2026, 0, 2, 3, 4, 5),
    ),
    status: 'running' as const,
    startedAt: Date.UTC(2026, 0, 2, 3, 4, 6),
    progress: 0.123456,
    etaSeconds: 41.6,
    attempts: 1,
    audio: { filename: 'talk.m4a', bytes: 2048, format: 'm4a' as const, durationSeconds: 3600.00049, stored: true },
    windows: { total: 12, done: 1 },
    lease: { owner: 'host:1:abc', expiresAt: 1 },
  };

  it('maps a stored record to the wire shape: ISO times, rounded numbers, root-relative links', () => {
    expect(toJob(record)).toEqual({
      id: 'job_abc',
      status: 'running',
      progress: 0.1235,
      eta_seconds: 42,
      created_at: '2026-01-02T03:04:05.000Z',
      started_at: '2026-01-02T03:04:06.000Z',
      finished_at: null,
      updated_at: '2026-01-02T03:04:05.000Z',
      attempts: 1,
      max_attempts: 3,
      error: null,
      options: { task: 'transcribe', temperature: 0, word_timestamps: false, response_format: 'vtt' },
      audio: { filename: 'talk.m4a', bytes: 2048, duration_seconds: 3600 },
      windows: { total: 12, done: 1 },
      callback_url: 'https://hooks.example/x',
      webhook_deliveries: [],
      result_expires_at: null,
      links: { self: '/api/v1/jobs/job_abc', transcript: '/api/v1/jobs/job_abc/transcript', events: '/api/v1/jobs/job_abc/events' },
    });
  });

  it('keeps internals out: no lease owner, idempotency key or request hash on the wire', () => {
    const wire = JSON.stringify(toJob(record));
    for (const secret of ['host:1:abc', 'secret-key', 'hash"']) expect(wire).not.toContain(secret);
  });
});
