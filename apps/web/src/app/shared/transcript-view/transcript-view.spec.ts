import { TestBed } from '@angular/core/testing';
import { A_DIARIZED_RESULT, A_RESULT } from '../../../testing/fixtures';
import type { SpeakerRename } from '../speaker-legend/speaker-legend';
import type { DownloadRequest } from '../../core/transcripts/download-files';
import { TranscriptView } from './transcript-view';

describe('TranscriptView', () => {
  beforeEach(() => {
    localStorage.clear();
    jest.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    jest.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  async function render(audioUrl?: string, result = A_RESULT) {
    const fixture = TestBed.createComponent(TranscriptView);
    fixture.componentRef.setInput('result', result);
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

  it('shows who speaks, in the speaker colour, with the name written out where a turn starts', async () => {
    const { element, segments } = await render(undefined, A_DIARIZED_RESULT);
    // Every segment's button reads its speaker out; the visible name in colour opens each turn.
    expect(segments().map((li) => li.querySelector('button [data-testid="speaker"]')?.textContent)).toEqual(['B: ', 'A: ', 'A: ', 'B: ']);
    const turns = segments().map((li) => li.querySelector<HTMLElement>('[data-testid="turn"]'));
    expect(turns.map((turn) => turn?.textContent ?? null)).toEqual(['B', 'A', null, 'B']);
    expect(turns[0]?.getAttribute('aria-hidden')).toBe('true');
    expect(turns[0]?.style.background).toBe('rgb(0, 114, 178)');
    expect(turns[1]?.style.background).toBe('rgb(230, 159, 0)');
    expect(segments()[0].style.getPropertyValue('--speaker')).toBe('#0072B2');
    expect(Array.from(element.querySelectorAll('[data-testid="speaker-legend"] li')).map((li) => (li as HTMLElement).dataset['speaker'])).toEqual(['B', 'A']);
  });

  it('shows the names given to speakers and passes renames from the legend up, keeping the colours', async () => {
    const { fixture, element, segments } = await render(undefined, A_DIARIZED_RESULT);
    const renames: SpeakerRename[] = [];
    fixture.componentInstance.renameSpeaker.subscribe((rename) => renames.push(rename));
    const field = element.querySelector('[data-testid="speaker-legend"] li[data-speaker="A"] input') as HTMLInputElement;
    field.value = 'Alice';
    field.dispatchEvent(new Event('change'));
    expect(renames).toEqual([{ speaker: 'A', name: 'Alice' }]);

    fixture.componentRef.setInput('speakerNames', { A: 'Alice' });
    await fixture.whenStable();
    const turn = segments()[1].querySelector('[data-testid="turn"]') as HTMLElement;
    expect(turn.textContent).toBe('Alice');
    expect(turn.style.background).toBe('rgb(230, 159, 0)');
    expect(segments()[2].querySelector('[data-testid="speaker"]')?.textContent).toBe('Alice: ');
  });

  it('marks flagged segments with their reasons and hides them on request', async () => {
    const { fixture, element, segments } = await render(undefined, A_DIARIZED_RESULT);
    const reasons = () => segments().map((li) => Array.from(li.querySelectorAll<HTMLElement>('.flag')).map((flag) => flag.dataset['flag']));
    expect(reasons()).toEqual([[], ['low_confidence'], ['outside_speech', 'known_hallucination'], []]);
    expect(segments()[1].querySelector('.flag')?.getAttribute('title')).toBe('The model was unsure of this text (low average log-probability).');
    expect(segments()[1].classList.contains('flagged')).toBe(true);

    const hide = element.querySelector('[data-testid="hide-flagged"]') as HTMLInputElement;
    expect(hide.closest('label')?.textContent?.trim()).toBe('Hide flagged segments (2)');
    hide.click();
    await fixture.whenStable();
    expect(segments().map((li) => li.dataset['segment'])).toEqual(['0', '3']);
    // B's second segment now follows B's first directly: the same turn, so its name is not repeated.
    expect(segments()[1].querySelector('[data-testid="turn"]')).toBeNull();
    const search = element.querySelector('[data-testid="search"]') as HTMLInputElement;
    search.value = 'thanks';
    search.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="hits"]')?.textContent?.trim()).toBe('No matches');
    hide.click();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="hits"]')?.textContent?.trim()).toBe('1 matches');
  });

  it('has no legend, speaker names or flag filter for a plain transcript', async () => {
    const { element } = await render(undefined, A_RESULT);
    expect(element.querySelector('[data-testid="speaker-legend"]')).toBeNull();
    expect(element.querySelector('[data-testid="speaker"]')).toBeNull();
    expect(element.querySelector('[data-testid="hide-flagged"]')).toBeNull();
  });

  it('says so when every segment is flagged and hidden', async () => {
    const allFlagged = { ...A_DIARIZED_RESULT, segments: A_DIARIZED_RESULT.segments.map((s) => ({ ...s, flags: ['repetition' as const] })) };
    const { fixture, element } = await render(undefined, allFlagged);
    (element.querySelector('[data-testid="hide-flagged"]') as HTMLInputElement).click();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="segments"]')).toBeNull();
    expect(element.querySelector('[data-testid="all-hidden"]')?.textContent).toContain('Every segment is flagged and hidden.');
  });
});
