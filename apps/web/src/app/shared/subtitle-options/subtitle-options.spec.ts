import { TestBed } from '@angular/core/testing';
import type { SubtitleOptions } from '@speech/transcript-formats';
import { SettingsStore } from '../../core/settings/settings.store';
import { SubtitleOptionsForm } from './subtitle-options';

describe('SubtitleOptionsForm', () => {
  beforeEach(() => localStorage.clear());

  async function render(language: 'en' | 'de' = 'en') {
    TestBed.inject(SettingsStore).setLanguage(language);
    const fixture = TestBed.createComponent(SubtitleOptionsForm);
    const emitted: Array<SubtitleOptions | undefined> = [];
    fixture.componentInstance.changed.subscribe((options) => emitted.push(options));
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const field = (name: string) => element.querySelector(`[data-testid="${name}"]`) as HTMLInputElement;
    const type = async (name: string, value: string) => {
      field(name).value = value;
      field(name).dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const click = async (name: string) => {
      field(name).click();
      await fixture.whenStable();
    };
    return { element, field, type, click, emitted };
  }

  it('is off at first: no fields, downloads keep one cue per segment', async () => {
    const { element, field } = await render();
    expect(field('subtitles-on').checked).toBe(false);
    expect(element.querySelector('[data-testid="max_line_width"]')).toBeNull();
    expect(element.textContent).toContain('Subtitle line rules for SRT/VTT');
  });

  it('when on, shows the broadcast defaults and emits them, then each change', async () => {
    const { field, type, click, emitted } = await render();
    await click('subtitles-on');
    expect([field('max_line_width').value, field('max_line_count').value, field('max_cue_duration').value]).toEqual(['42', '2', '7']);
    expect(field('highlight_words').checked).toBe(false);
    await type('max_line_count', '1');
    await type('max_cue_duration', '4.5');
    await click('highlight_words');
    expect(emitted).toEqual([
      { maxLineWidth: 42, maxLineCount: 2, maxCueDuration: 7, highlightWords: false },
      { maxLineWidth: 42, maxLineCount: 1, maxCueDuration: 7, highlightWords: false },
      { maxLineWidth: 42, maxLineCount: 1, maxCueDuration: 4.5, highlightWords: false },
      { maxLineWidth: 42, maxLineCount: 1, maxCueDuration: 4.5, highlightWords: true },
    ]);
    await click('subtitles-on');
    expect(emitted.at(-1)).toBeUndefined();
  });

  it('refuses a value the API would refuse, with the code’s message, and emits nothing to apply', async () => {
    const { element, field, type, click, emitted } = await render('de');
    await click('subtitles-on');
    await type('max_line_width', '5');
    expect(emitted.at(-1)).toBeUndefined();
    expect(field('max_line_width').getAttribute('aria-invalid')).toBe('true');
    const alert = element.querySelector('[data-testid="subtitles-error"]')?.textContent ?? '';
    expect(alert).toContain('Eine Untertitel-Option');
    expect(alert).toContain('max_line_width must be a whole number from 10 to 200');
    await type('max_line_width', '37');
    expect(emitted.at(-1)).toEqual({ maxLineWidth: 37, maxLineCount: 2, maxCueDuration: 7, highlightWords: false });
    expect(element.querySelector('[data-testid="subtitles-error"]')).toBeNull();
  });
});
