import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { A_STATUS } from '../../../testing/fixtures';
import { authInterceptor } from '../../core/api/auth.interceptor';
import { SettingsStore } from '../../core/settings/settings.store';
import { ServiceStatusStore } from '../../core/status/service-status.store';
import { SettingsPage } from './settings.page';

describe('SettingsPage', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()] });
    TestBed.inject(SettingsStore).setLanguage('en');
    TestBed.inject(ServiceStatusStore).status.set(A_STATUS);
    TestBed.inject(ServiceStatusStore).health.set('ok');
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function render() {
    const fixture = TestBed.createComponent(SettingsPage);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('saves the API key in localStorage and sends it from then on', async () => {
    const { fixture, element } = await render();
    const input = element.querySelector('[data-testid="api-key"]') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.labels?.[0]?.textContent).toBe('API key');
    input.value = 'sk-live-1';
    input.dispatchEvent(new Event('input'));
    (element.querySelector('[data-testid="save-key"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(localStorage.getItem('speech.apiKey')).toBe('sk-live-1');
    expect(element.textContent).toContain('Saved.');
    // Saving checks the service again, now with the key.
    expect(http.expectOne('/status').request.headers.get('Authorization')).toBe('Bearer sk-live-1');
    http.expectOne('/health').flush({ status: 'ok' });
  });

  it('switches the interface language and theme at run time', async () => {
    const { fixture, element } = await render();
    const language = element.querySelector('[data-testid="ui-language"]') as HTMLSelectElement;
    language.value = 'de';
    language.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(element.querySelector('h1')?.textContent).toBe('Einstellungen');
    expect(document.documentElement.lang).toBe('de');
    const theme = element.querySelector('[data-testid="ui-theme"]') as HTMLSelectElement;
    theme.value = 'dark';
    theme.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(localStorage.getItem('speech.theme')).toBe('dark');
  });

  it('shows engine, model, health and limits', async () => {
    const { element } = await render();
    const terms = Array.from(element.querySelectorAll('[data-testid="service"] dt'));
    const facts = Object.fromEntries(terms.map((dt) => [dt.textContent?.trim(), dt.nextElementSibling?.textContent?.trim()]));
    expect(facts).toEqual({
      Engine: 'local',
      Model: 'ggml-tiny.bin',
      Health: 'ready',
      Queue: '1 running, 2 waiting',
      'Largest file': '1,000 B',
      'Longest audio (direct)': '30:00',
      Formats: 'mp3, wav, m4a, flac, ogg, webm',
    });
  });
});
