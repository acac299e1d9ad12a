import { HttpEventType, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { SettingsStore } from '../settings/settings.store';
import { ApiClient } from './api-client';
import { authInterceptor } from './auth.interceptor';
import { routePath } from './api-routes';

describe('ApiClient', () => {
  let api: ApiClient;
  let http: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    api = TestBed.inject(ApiClient);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('posts the options before the file and always asks sync transcription for a json stream, read as growing text', () => {
    const file = new File(['RIFF'], 'talk.wav', { type: 'audio/wav' });
    const events: HttpEventType[] = [];
    api.transcribe(file, { language: 'de', task: 'translate', responseFormat: 'srt', wordTimestamps: true }).subscribe((e) => events.push(e.type));
    const request = http.expectOne('/transcribe');
    expect(request.request.reportProgress).toBe(true);
    expect(request.request.responseType).toBe('text');
    const form = request.request.body as FormData;
    expect(Array.from(form.keys())).toEqual(['task', 'response_format', 'word_timestamps', 'stream', 'language', 'file']);
    expect(form.get('response_format')).toBe('json');
    expect(form.get('stream')).toBe('true');
    expect(form.get('word_timestamps')).toBe('true');
    expect((form.get('file') as File).name).toBe('talk.wav');
    request.event({ type: HttpEventType.UploadProgress, loaded: 2, total: 4 });
    request.flush('data: {"type":"transcript.text.done","text":""}\n\n');
    expect(events).toContain(HttpEventType.UploadProgress);
    expect(events).toContain(HttpEventType.Response);
  });

  it('creates jobs with the chosen output format and leaves language out when detecting', () => {
    api.createJob(new File(['x'], 'a.mp3'), { language: '', task: 'transcribe', responseFormat: 'vtt', wordTimestamps: false }).subscribe();
    const request = http.expectOne({ method: 'POST', url: '/api/v1/jobs' });
    const form = request.request.body as FormData;
    expect(form.get('response_format')).toBe('vtt');
    expect(form.has('language')).toBe(false);
    request.flush({}, { status: 202, statusText: 'Accepted' });
  });

  it('sends the speaker, VAD and hallucination-filter fields on both routes, before the file', () => {
    const pipeline = { speakers: { min: 2, max: 4 }, vad: false, hallucinationFilter: true };
    const options = { language: '', task: 'transcribe', responseFormat: 'json', wordTimestamps: false, pipeline } as const;
    const pipelineFields = ['diarize', 'min_speakers', 'max_speakers', 'vad', 'hallucination_filter', 'file'];
    api.transcribe(new File(['x'], 'a.wav'), options).subscribe();
    api.createJob(new File(['x'], 'a.wav'), options).subscribe();
    for (const [request, streamed] of [[http.expectOne('/transcribe'), true], [http.expectOne('/api/v1/jobs'), false]] as const) {
      const form = request.request.body as FormData;
      expect(Array.from(form.keys())).toEqual(['task', 'response_format', 'word_timestamps', ...(streamed ? ['stream'] : []), ...pipelineFields]);
      expect([form.get('diarize'), form.get('min_speakers'), form.get('max_speakers'), form.get('vad'), form.get('hallucination_filter')]).toEqual([
        'true',
        '2',
        '4',
        'false',
        'true',
      ]);
      request.flush(streamed ? '' : {});
    }
  });

  it('lists jobs with status, limit and cursor as query parameters', () => {
    api.listJobs({ status: ['failed', 'cancelled'], limit: 20, cursor: 'c2' }).subscribe();
    const request = http.expectOne((r) => r.url === '/api/v1/jobs');
    expect(request.request.params.toString()).toBe('status=failed,cancelled&limit=20&cursor=c2');
    request.flush({ data: [], next_cursor: null });
  });

  it('fills and encodes path parameters', () => {
    expect(routePath('GET /api/v1/jobs/{id}/{file}', { id: 'a/b', file: 'transcript.srt' })).toBe('/api/v1/jobs/a%2Fb/transcript.srt');
    expect(() => routePath('GET /api/v1/jobs/{id}', {} as { id: string })).toThrow(/needs the path parameter id/);
    api.retryJob('j1').subscribe();
    http.expectOne({ method: 'POST', url: '/api/v1/jobs/j1/retry' }).flush({});
    api.cancelJob('j1').subscribe();
    http.expectOne({ method: 'DELETE', url: '/api/v1/jobs/j1' }).flush({});
    api.jobTranscriptFile('j1', 'txt').subscribe();
    const download = http.expectOne('/api/v1/jobs/j1/transcript.txt');
    expect(download.request.responseType).toBe('text');
    download.flush('text\n');
    api.jobTranscript('j1').subscribe();
    http.expectOne('/api/v1/jobs/j1/transcript.json').flush({});
  });

  it('downloads every format by the file name the API documents for {file}', () => {
    const names = { txt: 'transcript.txt', srt: 'transcript.srt', vtt: 'transcript.vtt', json: 'transcript.json' } as const;
    for (const [format, file] of Object.entries(names)) {
      api.jobTranscriptFile('j2', format as keyof typeof names).subscribe();
      http.expectOne(`/api/v1/jobs/j2/${file}`).flush('');
    }
  });

  it('sends the stored API key as a bearer token to its own origin only', () => {
    api.status().subscribe();
    expect(http.expectOne('/status').request.headers.has('Authorization')).toBe(false);
    TestBed.inject(SettingsStore).setApiKey('  sk-123 ');
    expect(localStorage.getItem('speech.apiKey')).toBe('sk-123');
    api.status().subscribe();
    expect(http.expectOne('/status').request.headers.get('Authorization')).toBe('Bearer sk-123');
  });
});
