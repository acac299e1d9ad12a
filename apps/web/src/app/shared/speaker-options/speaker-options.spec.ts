import { TestBed } from '@angular/core/testing';
import type { SpeakerRequest } from '../../core/api/pipeline-fields';
import { SettingsStore } from '../../core/settings/settings.store';
import { SpeakerOptionsForm } from './speaker-options';

describe('SpeakerOptionsForm', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.inject(SettingsStore).setLanguage('en');
  });

  async function render() {
    const fixture = TestBed.createComponent(SpeakerOptionsForm);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const emitted: (SpeakerRequest | undefined)[] = [];
    fixture.componentInstance.changed.subscribe((request) => emitted.push(request));
    const get = <T extends HTMLElement>(id: string) => element.querySelector(`[data-testid="${id}"]`) as T;
    const type = async (id: string, value: string) => {
      const input = get<HTMLInputElement>(id);
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const click = async (id: string) => {
      get<HTMLInputElement>(id).click();
      await fixture.whenStable();
    };
    return { element, emitted, get, type, click };
  }

  it('is off by default and asks for an estimated count when turned on', async () => {
    const { element, emitted, click } = await render();
    expect(element.querySelector('[data-testid="count-auto"]')).toBeNull();
    await click('diarize');
    expect(emitted).toEqual([{}]);
    expect((element.querySelector('[data-testid="count-auto"]') as HTMLInputElement).checked).toBe(true);
    await click('diarize');
    expect(emitted.at(-1)).toBeUndefined();
  });

  it('emits an exact count or a range as typed, with labelled fields', async () => {
    const { element, emitted, click, type } = await render();
    await click('diarize');
    await click('count-exact');
    expect(emitted.at(-1)).toEqual({ count: 2 });
    await type('speakers-exact', '4');
    expect(emitted.at(-1)).toEqual({ count: 4 });
    expect(element.querySelector('[data-testid="speakers-exact"]')?.closest('label')?.textContent).toContain('Speakers');
    await click('count-range');
    await type('speakers-min', '2');
    await type('speakers-max', '6');
    expect(emitted.at(-1)).toEqual({ min: 2, max: 6 });
  });

  it('says what is wrong with a count and meanwhile asks for an estimate', async () => {
    const { element, emitted, click, type, get } = await render();
    await click('diarize');
    await click('count-range');
    await type('speakers-min', '5');
    await type('speakers-max', '3');
    expect(emitted.at(-1)).toEqual({});
    expect(get('speakers-min').getAttribute('aria-invalid')).toBe('true');
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Enter whole numbers from 1 to 16');
    await type('speakers-max', '8');
    expect(element.querySelector('[role="alert"]')).toBeNull();
    expect(emitted.at(-1)).toEqual({ min: 5, max: 8 });
  });
});
