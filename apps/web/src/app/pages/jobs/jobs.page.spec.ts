import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Job, JobEventType } from '@speech/contracts';
import { Subject } from 'rxjs';
import { aJob } from '../../../testing/fixtures';
import { JobEvents, type JobStreamUpdate } from '../../core/jobs/job-events';
import { SettingsStore } from '../../core/settings/settings.store';
import { JobsPage } from './jobs.page';

describe('JobsPage', () => {
  let http: HttpTestingController;
  let stream: Subject<JobStreamUpdate>;

  beforeEach(() => {
    localStorage.clear();
    stream = new Subject();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), { provide: JobEvents, useValue: { all: () => stream } }],
    });
    TestBed.inject(SettingsStore).setLanguage('en');
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function render(jobs: Job[], nextCursor: string | null = null) {
    const fixture = TestBed.createComponent(JobsPage);
    await fixture.whenStable();
    http.expectOne((r) => r.url === '/api/v1/jobs' && r.params.get('limit') === '20' && !r.params.has('cursor')).flush({ data: jobs, next_cursor: nextCursor });
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const rows = () => Array.from(element.querySelectorAll<HTMLElement>('[data-testid="job-row"]'));
    const row = (id: string) => element.querySelector<HTMLElement>(`[data-job="${id}"]`);
    const send = async (type: JobEventType, job: Job) => {
      stream.next({ kind: 'event', event: { type, seq: 1, at: job.updated_at, job } });
      await fixture.whenStable();
    };
    return { fixture, element, rows, row, send };
  }

  it('lists jobs with status, progress, length, time taken and age', async () => {
    const { rows } = await render([
      aJob({ id: 'a', status: 'running', progress: 0.42, eta_seconds: 30 }),
      aJob({
        id: 'b',
        status: 'succeeded',
        progress: 1,
        started_at: '2026-01-01T11:58:00Z',
        finished_at: '2026-01-01T11:58:12Z',
        audio: { filename: null, bytes: 5, duration_seconds: 3725 },
      }),
    ]);
    const cells = rows().map((row) =>
      Array.from(row.querySelectorAll('th, td')).map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim()),
    );
    expect(cells[0]).toEqual(['talk.mp3', 'Running', '42 %about 30 s left', '1:15', expect.stringMatching(/ ago$/), 'Cancel']);
    expect(cells[1]).toEqual(['Untitled audio', 'Succeeded', '100 %', '1:02:05 took 12 s', expect.stringMatching(/ ago$/), 'Open']);
    expect(rows()[1].querySelector('a')?.getAttribute('href')).toBe('/jobs/b');
  });

  it('updates rows live from the event stream and adds new jobs on top', async () => {
    const { rows, row, send, element } = await render([aJob({ id: 'a', status: 'running', progress: 0.1 })]);
    stream.next({ kind: 'open' });
    await send('job.progress', aJob({ id: 'a', status: 'running', progress: 0.6 }));
    expect((row('a')?.querySelector('progress') as HTMLProgressElement).value).toBe(60);
    await send('job.created', aJob({ id: 'new', audio: { filename: 'new.wav', bytes: 1, duration_seconds: null } }));
    expect(rows().map((r) => r.dataset['job'])).toEqual(['new', 'a']);
    expect(element.querySelector('[data-testid="live"]')?.textContent).toContain('Live updates on');
    await send('job.deleted', aJob({ id: 'a' }));
    expect(rows().map((r) => r.dataset['job'])).toEqual(['new']);
  });

  it('filters by status and pages with the cursor', async () => {
    const { fixture, element } = await render([aJob({ id: 'a' })], 'cursor-2');
    const filter = element.querySelector('[data-testid="job-filter"]') as HTMLSelectElement;
    filter.value = 'failed';
    filter.dispatchEvent(new Event('change'));
    http.expectOne((r) => r.params.get('status') === 'failed' && !r.params.has('cursor')).flush({ data: [aJob({ id: 'f', status: 'failed' })], next_cursor: 'c2' });
    await fixture.whenStable();

    const newer = element.querySelector('[data-testid="newer"]') as HTMLButtonElement;
    const older = element.querySelector('[data-testid="older"]') as HTMLButtonElement;
    expect(newer.disabled).toBe(true);
    older.click();
    http.expectOne((r) => r.params.get('status') === 'failed' && r.params.get('cursor') === 'c2').flush({ data: [], next_cursor: null });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="no-jobs"]')).not.toBeNull();
    expect(older.disabled).toBe(true);
    newer.click();
    http.expectOne((r) => r.params.get('status') === 'failed' && !r.params.has('cursor')).flush({ data: [], next_cursor: 'c2' });
  });

  it('retries failed jobs and shows the reason a job failed', async () => {
    const { fixture, row } = await render([aJob({ id: 'f', status: 'failed', error: { code: 'ENGINE_TIMEOUT', message: 'took too long' } })]);
    expect(row('f')?.textContent).toContain('The transcription engine did not answer in time.');
    (row('f')?.querySelector('[data-testid="retry-job"]') as HTMLButtonElement).click();
    http.expectOne({ method: 'POST', url: '/api/v1/jobs/f/retry' }).flush(aJob({ id: 'f', status: 'queued' }));
    await fixture.whenStable();
    expect(row('f')?.dataset['status']).toBe('queued');
  });

  it('shows the human message when the jobs API answers with an error code', async () => {
    const fixture = TestBed.createComponent(JobsPage);
    await fixture.whenStable();
    http.expectOne((r) => r.url === '/api/v1/jobs').flush({ code: 'UNAUTHORIZED', detail: 'A valid API key is required.' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('A valid API key is required.');
    expect(alert?.querySelector('a')?.getAttribute('href')).toBe('/settings');
  });
});
