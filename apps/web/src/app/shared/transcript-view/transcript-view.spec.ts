import { TestBed } from '@angular/core/testing';
import { A_RESULT } from '../../../testing/fixtures';
import type { DownloadRequest } from '../../core/transcripts/download-files';
import { TranscriptView } from './transcript-view';

describe('TranscriptView', () => {
  beforeEach(() => {
    localStorage.clear();
    jest.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    jest.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  async function render(audioUrl?: string) {
    const fixture = TestBed.createComponent(TranscriptView);
    fixture.componentRef.setInput('result', A_RESULT);
    fixture.componentRef.setInput('audioUrl', audioUrl);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const segments = () => Array.from(element.querySelectorAll<HTMLElement>('[data-testid="segments"] > li'));
    return { fixture, element, segments };
  }

  it('lists segments as buttons that seek, with their start times', async () => {
    const { segments } = await render('blob:audio');
    expect(segments().map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['0:00 Hello there.', '0:03 General Kenobi.']);
    expect(segments()[1].querySelector('button')?.getAttribute('title')).toBe('Play from 0:03');
  });

  it('seeks the player to a clicked segment and highlights the segment and word playing', async () => {
    const { fixture, element, segments } = await render('blob:audio');
    const audio = element.querySelector('audio') as HTMLAudioElement;
    let time = 0;
    Object.defineProperty(audio, 'currentTime', { get: () => time, set: (value: number) => (time = value) });

    segments()[1].querySelector('button')?.click();
    await fixture.whenStable();
    expect(audio.currentTime).toBe(3);
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalled();
    expect(segments()[1].getAttribute('aria-current')).toBe('true');
    expect(segments()[1].querySelector('.word-active')?.textContent).toBe('General');

    time = 4.8;
    audio.dispatchEvent(new Event('timeupdate'));
    await fixture.whenStable();
    expect(segments()[1].querySelector('.word-active')?.textContent).toBe('Kenobi.');
    expect(segments()[0].getAttribute('aria-current')).toBeNull();
  });

  it('marks search hits and counts them', async () => {
    const { fixture, element } = await render();
    const search = element.querySelector('[data-testid="search"]') as HTMLInputElement;
    search.value = 'e';
    search.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="hits"]')?.textContent?.trim()).toBe('6 matches');
    expect(element.querySelectorAll('mark').length).toBe(6);
    search.value = 'xyz';
    search.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="hits"]')?.textContent?.trim()).toBe('No matches');
  });

  it('copies the text and asks for downloads in each format', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { fixture, element } = await render();
    const asked: DownloadRequest[] = [];
    fixture.componentInstance.download.subscribe((request) => asked.push(request));

    (element.querySelector('[data-testid="copy"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(writeText).toHaveBeenCalledWith('Hello there. General Kenobi.');
    expect(element.querySelector('[role="status"]')?.textContent?.trim()).toBe('Copied to the clipboard.');

    for (const format of ['txt', 'srt', 'vtt', 'json']) (element.querySelector(`[data-testid="download-${format}"]`) as HTMLButtonElement).click();
    expect(asked).toEqual([{ format: 'txt' }, { format: 'srt' }, { format: 'vtt' }, { format: 'json' }]);
  });

  it('adds the subtitle rules chosen below the downloads to SRT and VTT only', async () => {
    const { fixture, element } = await render();
    const asked: DownloadRequest[] = [];
    fixture.componentInstance.download.subscribe((request) => asked.push(request));
    (element.querySelector('[data-testid="subtitles-on"]') as HTMLInputElement).click();
    await fixture.whenStable();
    const width = element.querySelector('[data-testid="max_line_width"]') as HTMLInputElement;
    width.value = '20';
    width.dispatchEvent(new Event('input'));
    await fixture.whenStable();

    for (const format of ['txt', 'srt', 'vtt']) (element.querySelector(`[data-testid="download-${format}"]`) as HTMLButtonElement).click();
    const rules = { maxLineWidth: 20, maxLineCount: 2, maxCueDuration: 7, highlightWords: false };
    expect(asked).toEqual([{ format: 'txt' }, { format: 'srt', subtitles: rules }, { format: 'vtt', subtitles: rules }]);
  });

  it('shows the page-provided content where there is no audio', async () => {
    const { element } = await render(undefined);
    expect(element.querySelector('audio')).toBeNull();
  });
});
