import { TestBed } from '@angular/core/testing';
import { A_DIARIZED_RESULT } from '../../../testing/fixtures';
import { SettingsStore } from '../../core/settings/settings.store';
import { SpeakerLegend, type SpeakerRename } from './speaker-legend';
import { legendSpeakers } from './speaker-palette';

describe('SpeakerLegend', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.inject(SettingsStore).setLanguage('en');
  });

  async function render(names: Record<string, string> = {}) {
    const fixture = TestBed.createComponent(SpeakerLegend);
    fixture.componentRef.setInput('speakers', legendSpeakers(A_DIARIZED_RESULT, names));
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const renames: SpeakerRename[] = [];
    fixture.componentInstance.rename.subscribe((rename) => renames.push(rename));
    const field = (speaker: string) => element.querySelector<HTMLInputElement>(`li[data-speaker="${speaker}"] input`) as HTMLInputElement;
    return { fixture, element, renames, field };
  }

  it('lists each speaker with its colour and a labelled name field', async () => {
    const { element, field } = await render({ A: 'Alice' });
    const entries = Array.from(element.querySelectorAll('li'));
    expect(entries.map((li) => li.dataset['speaker'])).toEqual(['B', 'A']);
    expect((entries[0].querySelector('.swatch') as HTMLElement).style.background).toBe('rgb(0, 114, 178)');
    expect(field('B').getAttribute('aria-label')).toBe('Name of speaker B');
    expect(field('A').value).toBe('Alice');
    expect(entries[1].textContent).toContain('(A)');
    expect(entries[0].textContent).not.toContain('(B)');
  });

  it('sends a rename when a field is committed, and a blank field restores the label', async () => {
    const { field, renames } = await render({ A: 'Alice' });
    field('B').value = '  Bob ';
    field('B').dispatchEvent(new Event('change'));
    field('A').value = '';
    field('A').dispatchEvent(new Event('change'));
    expect(renames).toEqual([
      { speaker: 'B', name: 'Bob' },
      { speaker: 'A', name: '' },
    ]);
    expect(field('A').value).toBe('A');
  });

  it('sends nothing for an unchanged name, and Escape puts the current name back', async () => {
    const { field, renames } = await render({ A: 'Alice' });
    field('A').value = 'Alice';
    field('A').dispatchEvent(new Event('change'));
    field('A').value = 'Typo';
    field('A').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(field('A').value).toBe('Alice');
    expect(renames).toEqual([]);
  });
});
