import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Job } from '@speech/contracts';
import { Subject } from 'rxjs';
import { aJob, A_RESULT, A_STATUS } from '../../../testing/fixtures';
import type { TranscribeOptions } from '../api/api-client';
import { SseRefusedError } from '../api/sse-client';
import { JobEvents, type JobStreamUpdate } from '../jobs/job-events';
import { ServiceStatusStore } from '../status/service-status.store';
import { LocalTranscriptsStore } from '../transcripts/local-transcripts.store';
import { flushTranscriptStream } from '../../../testing/transcript-stream';
import { UploadQueue } from './upload-queue';

const options: TranscribeOptions = { language: '', task: 'transcribe', responseFormat: 'srt', wordTimestamps: false };
const wav = (name: string, size = 100) => new File([new Uint8Array(size)], name, { type: 'audio/wav' });

describe('UploadQueue', () => {
  let queue: UploadQueue;
  let http: HttpTestingController;
  let streams: Map<string, Subject<JobStreamUpdate>>;

  beforeEach(() => {
    streams = new Map();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: JobEvents,
          useValue: {
            forJob: (id: string) => {
              const stream = new Subject<JobStreamUpdate>();
              streams.set(id, stream);
              return stream;
            },
          },
        },
      ],
    });
    TestBed.inject(ServiceStatusStore).status.set(A_STATUS);
    queue = TestBed.inject(UploadQueue);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  const item = (name: string) => queue.items().find((candidate) => candidate.file.name === name);
  const event = (job: Job, type: 'job.progress' | 'job.succeeded' | 'job.failed' = 'job.progress') =>
    streams.get(job.id)?.next({ kind: 'event', event: { type, seq: 1, at: job.updated_at, job } });

  it('uploads two at a time, reports upload progress, then keeps the result with the audio', () => {
    queue.add([wav('a.wav'), wav('b.wav'), wav('c.wav')], 'sync', options);
    const [a, b] = http.match('/transcribe');
    expect(item('c.wav')?.phase).toBe('waiting');

    a.event({ type: HttpEventType.UploadProgress, loaded: 40, total: 160 });
    expect(item('a.wav')).toMatchObject({ phase: 'uploading', loaded: 40, total: 160 });
    a.event({ type: HttpEventType.UploadProgress, loaded: 160, total: 160 });
    expect(item('a.wav')?.phase).toBe('processing');

    a.flush(A_RESULT);
    const done = item('a.wav');
    expect(done).toMatchObject({ phase: 'done', transcriptLink: ['/transcripts', done?.localTranscriptId] });
    expect(TestBed.inject(LocalTranscriptsStore).get(done?.localTranscriptId ?? '')).toMatchObject({ fileName: 'a.wav', result: A_RESULT });
    // A slot freed: the third file starts.
    http.expectOne('/transcribe').flush(A_RESULT);
    b.flush(A_RESULT);
    expect(queue.items().map((i) => i.phase)).toEqual(['done', 'done', 'done']);
  });

  it('shows the text as the stream brings it, and keeps the result of its last event without another request', () => {
    queue.add([wav('a.wav')], 'sync', options);
    const request = http.expectOne('/transcribe');
    expect((request.request.body as FormData).get('stream')).toBe('true');
    flushTranscriptStream(request, A_RESULT, { stopAfter: 1 });
    expect(item('a.wav')).toMatchObject({ phase: 'uploading', liveText: 'Hello there.' });
    flushTranscriptStream(request, A_RESULT);
    const done = item('a.wav');
    expect(done).toMatchObject({ phase: 'done', liveText: A_RESULT.text });
    expect(TestBed.inject(LocalTranscriptsStore).get(done?.localTranscriptId ?? '')?.result).toEqual(A_RESULT);
  });

  it('fails an upload whose stream ends before its last event, keeping the text that came', () => {
    queue.add([wav('a.wav')], 'sync', options);
    const request = http.expectOne('/transcribe');
    request.event({ type: HttpEventType.DownloadProgress, loaded: 10, partialText: 'data: {"type":"transcript.text.delta","delta":"Hello"}\n\n' });
    request.flush('data: {"type":"transcript.text.delta","delta":"Hello"}\n\n', { headers: { 'Content-Type': 'text/event-stream' } });
    expect(item('a.wav')).toMatchObject({ phase: 'failed', liveText: 'Hello', failure: { code: 'INTERNAL_ERROR' } });
  });

  it('checks files before upload against the limits from /status', () => {
    queue.add([new File(['notes'], 'notes.txt', { type: 'text/plain' }), wav('huge.wav', 5000)], 'sync', options);
    http.expectNone('/transcribe');
    expect(item('notes.txt')?.rejection).toMatchObject({ reason: 'not-audio' });
    expect(item('huge.wav')?.rejection).toEqual({ reason: 'too-large', size: 5000, limit: 1000 });
  });

  it('keeps the API error code and detail of a failed upload, and can try again', () => {
    queue.add([wav('a.wav')], 'sync', options);
    http.expectOne('/transcribe').flush(
      { code: 'ENGINE_BUSY', detail: 'Retry in 5 s.', request_id: 'r1' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    expect(item('a.wav')).toMatchObject({ phase: 'failed', failure: { code: 'ENGINE_BUSY', status: 503, detail: 'Retry in 5 s.', requestId: 'r1' } });
    queue.retry(item('a.wav')?.id ?? '');
    http.expectOne('/transcribe').flush(A_RESULT);
    expect(item('a.wav')?.phase).toBe('done');
  });

  it('aborts the request when an upload is cancelled and starts the next file', () => {
    queue.add([wav('a.wav'), wav('b.wav'), wav('c.wav')], 'sync', options);
    const [a] = http.match('/transcribe');
    queue.cancel(item('a.wav')?.id ?? '');
    expect(a.cancelled).toBe(true);
    expect(item('a.wav')?.phase).toBe('cancelled');
    expect(http.match('/transcribe')).toHaveLength(1); // c, in the slot a freed
    queue.cancel(item('b.wav')?.id ?? '');
    queue.cancel(item('c.wav')?.id ?? '');
    queue.clearFinished();
    expect(queue.items()).toEqual([]);
  });

  it('follows a background job from 202 through its events to its transcript', () => {
    queue.add([wav('a.wav')], 'job', options);
    const create = http.expectOne({ method: 'POST', url: '/api/v1/jobs' });
    expect((create.request.body as FormData).get('response_format')).toBe('srt');
    create.event({ type: HttpEventType.UploadProgress, loaded: 100, total: 100 });
    expect(item('a.wav')?.phase).toBe('processing');
    create.flush({ ...aJob({ id: 'j1' }), status_url: '/api/v1/jobs/j1' }, { status: 202, statusText: 'Accepted' });
    expect(item('a.wav')).toMatchObject({ phase: 'queued', jobId: 'j1' });
    expect(TestBed.inject(LocalTranscriptsStore).jobAudioUrl('j1')).toBeUndefined(); // jsdom has no object URLs

    event(aJob({ id: 'j1', status: 'running', progress: 0.5, eta_seconds: 12 }));
    expect(item('a.wav')).toMatchObject({ phase: 'running', jobProgress: 0.5, etaSeconds: 12 });
    event(aJob({ id: 'j1', status: 'succeeded', progress: 1 }), 'job.succeeded');
    expect(item('a.wav')).toMatchObject({ phase: 'done', transcriptLink: ['/jobs', 'j1'] });
    expect(streams.get('j1')?.observed).toBe(false);
  });

  it('shows why a job failed and cancels running jobs with DELETE', () => {
    queue.add([wav('a.wav'), wav('b.wav')], 'job', options);
    const [a, b] = http.match('/api/v1/jobs');
    a.flush(aJob({ id: 'ja' }), { status: 202, statusText: 'Accepted' });
    b.flush(aJob({ id: 'jb' }), { status: 202, statusText: 'Accepted' });
    event(aJob({ id: 'ja', status: 'failed', error: { code: 'UNDECODABLE_AUDIO', message: 'Broken frames.' } }), 'job.failed');
    expect(item('a.wav')).toMatchObject({ phase: 'failed', failure: { code: 'UNDECODABLE_AUDIO', detail: 'Broken frames.' } });

    event(aJob({ id: 'jb', status: 'running', progress: 0.2 }));
    queue.cancel(item('b.wav')?.id ?? '');
    http.expectOne({ method: 'DELETE', url: '/api/v1/jobs/jb' }).flush(aJob({ id: 'jb', status: 'cancelled' }));
    expect(item('b.wav')?.phase).toBe('cancelled');
  });

  it('polls the job when its event stream is refused', () => {
    jest.useFakeTimers();
    try {
      queue.add([wav('a.wav')], 'job', options);
      http.expectOne('/api/v1/jobs').flush(aJob({ id: 'j1' }), { status: 202, statusText: 'Accepted' });
      streams.get('j1')?.error(new SseRefusedError(404, ''));
      jest.advanceTimersByTime(0);
      http.expectOne('/api/v1/jobs/j1').flush(aJob({ id: 'j1', status: 'running', progress: 0.3 }));
      expect(item('a.wav')).toMatchObject({ phase: 'running', jobProgress: 0.3 });
      jest.advanceTimersByTime(2000);
      http.expectOne('/api/v1/jobs/j1').flush(aJob({ id: 'j1', status: 'succeeded', progress: 1 }));
      jest.advanceTimersByTime(2000);
      http.expectNone('/api/v1/jobs/j1');
      expect(item('a.wav')?.phase).toBe('done');
    } finally {
      jest.useRealTimers();
    }
  });
});
