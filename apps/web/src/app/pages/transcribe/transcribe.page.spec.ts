import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { captureDownloads } from '../../../testing/downloads';
import { aJob, A_DIARIZED_RESULT, A_RESULT, A_STATUS } from '../../../testing/fixtures';
import { JobEvents, type JobStreamUpdate } from '../../core/jobs/job-events';
import { SettingsStore } from '../../core/settings/settings.store';
import { ServiceStatusStore } from '../../core/status/service-status.store';
import { LocalTranscriptsStore } from '../../core/transcripts/local-transcripts.store';
import { flushTranscriptStream } from '../../../testing/transcript-stream';
import { TranscribePage } from './transcribe.page';

function drop(element: HTMLElement, files: File[]): void {
  const event = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files } });
  element.querySelector('[data-testid="drop-zone"]')?.dispatchEvent(event);
}

describe('TranscribePage', () => {
  let http: HttpTestingController;
  let jobStream: Subject<JobStreamUpdate>;

  beforeEach(() => {
    localStorage.clear();
    jobStream = new Subject();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: JobEvents, useValue: { forJob: () => jobStream } },
      ],
    });
    TestBed.inject(SettingsStore).setLanguage('en');
    TestBed.inject(ServiceStatusStore).status.set(A_STATUS);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    jest.restoreAllMocks();
  });

  async function render() {
    const fixture = TestBed.createComponent(TranscribePage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const row = (name: string) => element.querySelector<HTMLElement>(`[data-testid="upload-item"][data-name="${name}"]`);
    return { fixture, element, row };
  }

  it('shows the limits from /status next to the drop zone', async () => {
    const { element } = await render();
    expect(element.querySelector('[data-testid="drop-zone"]')?.textContent).toContain('Accepted: mp3, wav, m4a, flac, ogg, webm · up to 1,000 B per file');
  });

  it('shows a progress bar per dropped file while it uploads, then a link to its transcript', async () => {
    const { fixture, element, row } = await render();
    (element.querySelector('#opt-words') as HTMLInputElement).click();
    drop(element, [new File([new Uint8Array(10)], 'a.wav', { type: 'audio/wav' }), new File([new Uint8Array(10)], 'b.mp3', { type: 'audio/mpeg' })]);
    await fixture.whenStable();
    const [a, b] = http.match('/transcribe');
    expect((a.request.body as FormData).get('word_timestamps')).toBe('true');

    a.event({ type: HttpEventType.UploadProgress, loaded: 30, total: 120 });
    await fixture.whenStable();
    const bar = row('a.wav')?.querySelector('progress') as HTMLProgressElement;
    expect(bar.value).toBe(25);
    expect(bar.getAttribute('aria-label')).toBe('Upload of a.wav');
    expect(row('a.wav')?.querySelector('[data-testid="phase"]')?.textContent).toContain('Uploading 25 %');

    a.event({ type: HttpEventType.UploadProgress, loaded: 120, total: 120 });
    await fixture.whenStable();
    expect(row('a.wav')?.querySelector('[data-testid="phase"]')?.textContent).toContain('Transcribing…');

    // The text shows as it streams in, in a log region that screen readers follow.
    flushTranscriptStream(a, A_RESULT, { stopAfter: 1 });
    await fixture.whenStable();
    const log = row('a.wav')?.querySelector('[role="log"]');
    expect(log?.textContent).toBe('Hello there.');
    expect(log?.getAttribute('aria-label')).toBe('Transcript of a.wav as it arrives');
    flushTranscriptStream(a, A_RESULT);
    b.flush(A_RESULT);
    await fixture.whenStable();
    expect(row('a.wav')?.querySelector('[role="log"]')?.textContent).toBe(A_RESULT.text);
    expect(row('a.wav')?.dataset['phase']).toBe('done');
    expect(row('a.wav')?.querySelector('a[data-testid="open-transcript"]')?.getAttribute('href')).toMatch(/^\/transcripts\//);
    expect(row('a.wav')?.querySelector('progress')).toBeNull();
  });

  it('explains a refused file before upload and the API error of a failed one', async () => {
    const { fixture, element, row } = await render();
    drop(element, [new File(['x'], 'notes.txt', { type: 'text/plain' }), new File(['x'], 'fake.wav', { type: 'audio/wav' })]);
    await fixture.whenStable();
    http.expectOne('/transcribe').flush(
      { code: 'UNSUPPORTED_MEDIA', detail: 'The file is not in a supported audio format. Accepted: mp3, wav.' },
      { status: 415, statusText: 'Unsupported Media Type' },
    );
    await fixture.whenStable();
    expect(row('notes.txt')?.querySelector('[role="alert"]')?.textContent).toContain(
      'notes.txt is not an audio file the API accepts (mp3, wav, m4a, flac, ogg, webm).',
    );
    expect(row('fake.wav')?.querySelector('[role="alert"]')?.textContent).toContain('Accepted: mp3, wav.');
    // A file the API refused for its content is not worth retrying as is.
    expect(row('fake.wav')?.querySelector('[data-testid="retry"]')).toBeNull();
  });

  it('cancels an upload in flight', async () => {
    const { fixture, element, row } = await render();
    drop(element, [new File([new Uint8Array(10)], 'a.wav', { type: 'audio/wav' })]);
    await fixture.whenStable();
    const request = http.expectOne('/transcribe');
    (row('a.wav')?.querySelector('[data-testid="cancel"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(request.cancelled).toBe(true);
    expect(row('a.wav')?.querySelector('[data-testid="phase"]')?.textContent).toContain('Cancelled');
    expect(row('a.wav')?.querySelector('[data-testid="retry"]')).not.toBeNull();
  });

  it('runs background jobs with live progress and ETA, and cancels them with DELETE', async () => {
    const { fixture, element, row } = await render();
    (element.querySelector('[data-testid="mode-job"]') as HTMLInputElement).click();
    const format = element.querySelector('[data-testid="opt-format"]') as HTMLSelectElement;
    format.value = 'vtt';
    format.dispatchEvent(new Event('change'));
    drop(element, [new File([new Uint8Array(10)], 'a.wav', { type: 'audio/wav' })]);
    await fixture.whenStable();
    const create = http.expectOne('/api/v1/jobs');
    expect((create.request.body as FormData).get('response_format')).toBe('vtt');
    create.flush(aJob({ id: 'j1' }), { status: 202, statusText: 'Accepted' });
    jobStream.next({ kind: 'event', event: { type: 'job.progress', seq: 2, at: '', job: aJob({ id: 'j1', status: 'running', progress: 0.4, eta_seconds: 90 }) } });
    await fixture.whenStable();
    expect(row('a.wav')?.querySelector('[data-testid="phase"]')?.textContent).toContain('Transcribing 40 % · about 2 min left');
    expect((row('a.wav')?.querySelector('[data-testid="job-progress"]') as HTMLProgressElement).value).toBe(40);

    (row('a.wav')?.querySelector('[data-testid="cancel"]') as HTMLButtonElement).click();
    http.expectOne({ method: 'DELETE', url: '/api/v1/jobs/j1' }).flush(aJob({ id: 'j1', status: 'cancelled' }));
    await fixture.whenStable();
    expect(row('a.wav')?.dataset['phase']).toBe('cancelled');
  });

  /** The pipeline fields of a request's form (absent fields as null). */
  function pipelineFields(form: FormData) {
    const names = ['diarize', 'num_speakers', 'min_speakers', 'max_speakers', 'vad', 'hallucination_filter'];
    return Object.fromEntries(names.map((name) => [name, form.get(name)]));
  }

  it('sends speakers, VAD and the hallucination filter with sync uploads and jobs alike; defaults add nothing', async () => {
    const { fixture, element } = await render();
    const vad = element.querySelector('[data-testid="opt-vad"]') as HTMLInputElement;
    expect(vad.checked).toBe(true);
    expect(vad.labels?.[0]?.textContent).toBe('Skip silence (VAD)');
    expect(element.querySelector('#opt-filter-hint')?.textContent).toContain('Leaves out text the model likely invented');
    drop(element, [new File([new Uint8Array(10)], 'plain.wav', { type: 'audio/wav' })]);
    await fixture.whenStable();
    const plain = http.expectOne('/transcribe');
    expect(Array.from((plain.request.body as FormData).keys())).toEqual(['task', 'response_format', 'word_timestamps', 'stream', 'file']);
    plain.flush(A_RESULT);

    vad.click();
    (element.querySelector('[data-testid="opt-filter"]') as HTMLInputElement).click();
    (element.querySelector('[data-testid="diarize"]') as HTMLInputElement).click();
    await fixture.whenStable();
    (element.querySelector('[data-testid="count-exact"]') as HTMLInputElement).click();
    await fixture.whenStable();
    const count = element.querySelector('[data-testid="speakers-exact"]') as HTMLInputElement;
    count.value = '3';
    count.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    drop(element, [new File([new Uint8Array(10)], 'sync.wav', { type: 'audio/wav' })]);
    (element.querySelector('[data-testid="mode-job"]') as HTMLInputElement).click();
    await fixture.whenStable();
    drop(element, [new File([new Uint8Array(10)], 'job.wav', { type: 'audio/wav' })]);
    await fixture.whenStable();
    const expected = { diarize: 'true', num_speakers: '3', min_speakers: null, max_speakers: null, vad: 'false', hallucination_filter: 'true' };
    const sync = http.expectOne('/transcribe');
    const job = http.expectOne('/api/v1/jobs');
    expect(pipelineFields(sync.request.body as FormData)).toEqual(expected);
    expect(pipelineFields(job.request.body as FormData)).toEqual(expected);
    sync.flush(A_RESULT);
    job.flush(aJob({ id: 'j9' }), { status: 202, statusText: 'Accepted' });
  });

  it('downloads a finished upload with the speaker names given on its transcript page', async () => {
    const downloads = captureDownloads();
    const { fixture, element, row } = await render();
    drop(element, [new File([new Uint8Array(10)], 'talk.wav', { type: 'audio/wav' })]);
    await fixture.whenStable();
    http.expectOne('/transcribe').flush(A_DIARIZED_RESULT);
    await fixture.whenStable();
    const store = TestBed.inject(LocalTranscriptsStore);
    const id = (row('talk.wav')?.querySelector('[data-testid="open-transcript"]')?.getAttribute('href') ?? '').split('/').at(-1) ?? '';
    store.renameSpeaker({ source: 'local', id }, 'B', 'Bob');
    (row('talk.wav')?.querySelector('[data-testid="download"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    const saved = await downloads.last();
    expect(saved.name).toBe('talk.json');
    expect((JSON.parse(saved.text) as typeof A_DIARIZED_RESULT).segments.map((s) => s.speaker)).toEqual(['Bob', 'A', 'A', 'Bob']);
  });
});
