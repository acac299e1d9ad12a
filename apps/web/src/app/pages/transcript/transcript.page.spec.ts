import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { captureDownloads } from '../../../testing/downloads';
import { aJob, A_DIARIZED_RESULT, A_RESULT } from '../../../testing/fixtures';
import { JobEvents, type JobStreamUpdate } from '../../core/jobs/job-events';
import { SettingsStore } from '../../core/settings/settings.store';
import { LocalTranscriptsStore } from '../../core/transcripts/local-transcripts.store';
import { formatSrt, formatVtt } from '@speech/transcript-formats';
import { withSpeakerNames } from '../../core/transcripts/speaker-names';
import { TranscriptPage } from './transcript.page';

describe('TranscriptPage', () => {
  let http: HttpTestingController;
  let stream: Subject<JobStreamUpdate>;
  let downloads: ReturnType<typeof captureDownloads>;

  beforeEach(() => {
    localStorage.clear();
    stream = new Subject();
    downloads = captureDownloads();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), { provide: JobEvents, useValue: { forJob: () => stream } }],
    });
    TestBed.inject(SettingsStore).setLanguage('en');
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    jest.restoreAllMocks();
  });

  /** The last file a download link saved: its name and text. */
  const lastSaved = () => downloads.last();

  async function render(id: string, source: 'local' | 'job') {
    const fixture = TestBed.createComponent(TranscriptPage);
    fixture.componentRef.setInput('id', id);
    fixture.componentRef.setInput('source', source);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows a sync result kept in this tab with its audio, and builds downloads in the browser', async () => {
    const transcript = TestBed.inject(LocalTranscriptsStore).add('meeting.mp3', A_RESULT, new Blob(['audio']));
    const { element } = await render(transcript.id, 'local');
    expect(element.querySelector('h1')?.textContent).toBe('meeting.mp3');
    expect(element.textContent).toContain('English · 0:06');
    expect(element.querySelector('audio')?.getAttribute('src')).toBe('blob:mock');
    (element.querySelector('[data-testid="download-srt"]') as HTMLButtonElement).click();
    expect(await lastSaved()).toEqual({
      name: 'meeting.srt',
      text: '1\n00:00:00,000 --> 00:00:02,500\nHello there.\n\n2\n00:00:03,000 --> 00:00:06,000\nGeneral Kenobi.\n',
    });
  });

  /** Turns the subtitle rules on and sets a line width (the other rules keep their defaults). */
  async function chooseSubtitleRules(fixture: { whenStable(): Promise<unknown> }, element: HTMLElement, width: string): Promise<void> {
    (element.querySelector('[data-testid="subtitles-on"]') as HTMLInputElement).click();
    await fixture.whenStable();
    const input = element.querySelector('[data-testid="max_line_width"]') as HTMLInputElement;
    input.value = width;
    input.dispatchEvent(new Event('input'));
    (element.querySelector('[data-testid="highlight_words"]') as HTMLInputElement).click();
    await fixture.whenStable();
  }

  it('builds SRT/VTT with the chosen subtitle rules, byte for byte what the API writes with the same fields', async () => {
    const transcript = TestBed.inject(LocalTranscriptsStore).add('meeting.mp3', A_RESULT, undefined);
    const { fixture, element } = await render(transcript.id, 'local');
    await chooseSubtitleRules(fixture, element, '12');
    const rules = { maxLineWidth: 12, maxLineCount: 2, maxCueDuration: 7, highlightWords: true };

    (element.querySelector('[data-testid="download-srt"]') as HTMLButtonElement).click();
    const srt = await lastSaved();
    expect(srt).toEqual({ name: 'meeting.srt', text: formatSrt(A_RESULT, rules) });
    expect(srt.text).toBe('1\n00:00:00,000 --> 00:00:02,500\nHello there.\n\n2\n00:00:03,000 --> 00:00:06,000\nGeneral\nKenobi.\n');
    (element.querySelector('[data-testid="download-vtt"]') as HTMLButtonElement).click();
    expect((await lastSaved()).text).toBe(formatVtt(A_RESULT, rules));
    expect((await lastSaved()).text).toContain('<c>General</c>\n<00:00:04.500><c>Kenobi.</c>');
  });

  it('explains that sync results live only in the tab that made them', async () => {
    const { element } = await render('gone', 'local');
    expect(element.querySelector('[data-testid="missing"]')?.textContent).toContain('only in the tab that made them');
  });

  it("loads a job's transcript, offers to attach audio the API did not keep, and downloads the API's files", async () => {
    const { fixture, element } = await render('j1', 'job');
    http.expectOne('/api/v1/jobs/j1').flush(aJob({ id: 'j1', status: 'succeeded', progress: 1 }));
    http.expectOne('/api/v1/jobs/j1/transcript.json').flush(A_RESULT);
    await fixture.whenStable();
    expect(element.querySelector('h1')?.textContent).toBe('talk.mp3');
    expect(element.querySelectorAll('[data-testid="segments"] > li')).toHaveLength(2);
    expect(element.querySelector('audio')).toBeNull();
    expect(element.textContent).toContain('The server does not keep the audio of jobs.');

    const attach = element.querySelector('[data-testid="attach-audio"]') as HTMLInputElement;
    Object.defineProperty(attach, 'files', { value: [new File(['a'], 'talk.mp3')] });
    attach.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(element.querySelector('audio')?.getAttribute('src')).toBe('blob:mock');

    (element.querySelector('[data-testid="download-vtt"]') as HTMLButtonElement).click();
    http.expectOne('/api/v1/jobs/j1/transcript.vtt').flush('WEBVTT\n\n');
    await fixture.whenStable();
    expect(await lastSaved()).toEqual({ name: 'talk.vtt', text: 'WEBVTT\n\n' });
  });

  it("applies subtitle rules to a job's loaded transcript in the browser instead of fetching the API's file", async () => {
    const { fixture, element } = await render('j3', 'job');
    http.expectOne('/api/v1/jobs/j3').flush(aJob({ id: 'j3', status: 'succeeded', progress: 1 }));
    http.expectOne('/api/v1/jobs/j3/transcript.json').flush(A_RESULT);
    await fixture.whenStable();
    await chooseSubtitleRules(fixture, element, '30');
    (element.querySelector('[data-testid="download-srt"]') as HTMLButtonElement).click();
    expect(await lastSaved()).toEqual({ name: 'talk.srt', text: formatSrt(A_RESULT, { maxLineWidth: 30, maxLineCount: 2, maxCueDuration: 7, highlightWords: true }) });
  });

  it('waits for a running job and shows its transcript when it succeeds', async () => {
    const { fixture, element } = await render('j2', 'job');
    http.expectOne('/api/v1/jobs/j2').flush(aJob({ id: 'j2', status: 'running', progress: 0.5 }));
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="not-ready"]')?.textContent).toContain('This job has no transcript yet (Running).');
    stream.next({ kind: 'event', event: { type: 'job.succeeded', seq: 3, at: '', job: aJob({ id: 'j2', status: 'succeeded', progress: 1 }) } });
    http.expectOne('/api/v1/jobs/j2/transcript.json').flush(A_RESULT);
    await fixture.whenStable();
    expect(element.querySelectorAll('[data-testid="segments"] > li')).toHaveLength(2);
    expect(stream.observed).toBe(false);
  });

  it('shows the message for JOB_NOT_FOUND', async () => {
    const { fixture, element } = await render('nope', 'job');
    http.expectOne('/api/v1/jobs/nope').flush({ code: 'JOB_NOT_FOUND', detail: 'No job with this id exists.' }, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('No job with this id exists.');
  });

  /** Renames a speaker in the legend, as a person does: type, then leave the field. */
  async function renameInLegend(fixture: { whenStable(): Promise<unknown> }, element: HTMLElement, speaker: string, name: string): Promise<void> {
    const field = element.querySelector(`[data-testid="speaker-legend"] li[data-speaker="${speaker}"] input`) as HTMLInputElement;
    field.value = name;
    field.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  it('keeps speaker names with the transcript in this tab and writes them into every download', async () => {
    const transcript = TestBed.inject(LocalTranscriptsStore).add('panel.mp3', A_DIARIZED_RESULT, undefined);
    const first = await render(transcript.id, 'local');
    await renameInLegend(first.fixture, first.element, 'A', 'Alice');
    expect(first.element.querySelector('[data-segment="1"] [data-testid="turn"]')?.textContent).toBe('Alice');
    first.fixture.destroy();

    const { element } = await render(transcript.id, 'local');
    expect((element.querySelector('[data-speaker="A"] input') as HTMLInputElement).value).toBe('Alice');
    (element.querySelector('[data-testid="download-json"]') as HTMLButtonElement).click();
    const json = JSON.parse((await lastSaved()).text) as typeof A_DIARIZED_RESULT;
    expect(json.segments.map((s) => s.speaker)).toEqual(['B', 'Alice', 'Alice', 'B']);
    expect(json.segments[1].words?.map((w) => w.speaker)).toEqual(['Alice', 'Alice', 'Alice']);
    (element.querySelector('[data-testid="download-srt"]') as HTMLButtonElement).click();
    expect((await lastSaved()).text).toBe(formatSrt(withSpeakerNames(A_DIARIZED_RESULT, { A: 'Alice' })));
  });

  it("renames a job's speakers in its JSON and formats it with the job's own subtitle rules, as the API would", async () => {
    const job = aJob({ id: 'j4', status: 'succeeded', progress: 1, options: { ...aJob().options, max_line_width: 12 } });
    const { fixture, element } = await render('j4', 'job');
    http.expectOne('/api/v1/jobs/j4').flush(job);
    http.expectOne('/api/v1/jobs/j4/transcript.json').flush(A_DIARIZED_RESULT);
    await fixture.whenStable();
    await renameInLegend(fixture, element, 'B', 'Bob');
    (element.querySelector('[data-testid="download-srt"]') as HTMLButtonElement).click();
    http.expectOne('/api/v1/jobs/j4').flush(job);
    http.expectOne('/api/v1/jobs/j4/transcript.json').flush(A_DIARIZED_RESULT);
    await fixture.whenStable();
    const saved = await lastSaved();
    expect(saved).toEqual({ name: 'talk.srt', text: formatSrt(withSpeakerNames(A_DIARIZED_RESULT, { B: 'Bob' }), { maxLineWidth: 12 }) });
    // The job's rule took effect: "Bob: Shall we start?" (the speaker label counts) is wrapped at 12.
    expect(saved.text).toContain('Bob: Shall\nwe start?');
  });
});
