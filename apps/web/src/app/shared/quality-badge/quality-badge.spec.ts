import { TestBed } from '@angular/core/testing';
import { SEGMENT_FLAGS } from '@speech/contracts';
import { SettingsStore } from '../../core/settings/settings.store';
import { QualityBadge } from './quality-badge';

describe('QualityBadge', () => {
  beforeEach(() => localStorage.clear());

  async function render(language: 'en' | 'de') {
    TestBed.inject(SettingsStore).setLanguage(language);
    const fixture = TestBed.createComponent(QualityBadge);
    fixture.componentRef.setInput('flags', SEGMENT_FLAGS);
    await fixture.whenStable();
    return Array.from((fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>('.flag'));
  }

  it('names each reason in text, with the explanation as tooltip and for screen readers', async () => {
    const badges = await render('en');
    expect(badges.map((b) => b.dataset['flag'])).toEqual([...SEGMENT_FLAGS]);
    expect(badges[0].textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '⚠ Low confidence: The model was unsure of this text (low average log-probability).',
    );
    expect(badges[0].querySelector('[aria-hidden="true"]')?.textContent).toBe('⚠');
    expect(badges[3].getAttribute('title')).toBe('A phrase Whisper often writes over silence, such as “Thanks for watching”.');
  });

  it('speaks German too', async () => {
    const badges = await render('de');
    expect(badges.map((b) => b.textContent?.split(':')[0].replace('⚠', '').trim())).toEqual([
      'Unsicher',
      'Wiederholung',
      'Außerhalb von Sprache',
      'Wahrscheinlich erfunden',
    ]);
    expect(badges[2].getAttribute('title')).toBe('Die Sprachaktivitätserkennung (VAD) hat hier keine Sprache gehört.');
  });
});
