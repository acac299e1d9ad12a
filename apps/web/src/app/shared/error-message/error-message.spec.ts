import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ApiFailure } from '../../core/api/api-error';
import { SettingsStore } from '../../core/settings/settings.store';
import { ErrorMessage } from './error-message';

describe('ErrorMessage', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    TestBed.inject(SettingsStore).setLanguage('en');
  });

  async function render(failure: ApiFailure): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(ErrorMessage);
    fixture.componentRef.setInput('failure', failure);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it("shows the server's specific detail in English, with the request id", async () => {
    const element = await render({ code: 'UNSUPPORTED_MEDIA', status: 415, detail: 'Accepted: mp3, wav.', requestId: 'r-7' });
    expect(element.querySelector('[role="alert"] .message')?.textContent).toBe('Accepted: mp3, wav.');
    expect(element.textContent).toContain('Request id r-7');
  });

  it('shows the message for the code when there is no detail', async () => {
    const element = await render({ code: 'ENGINE_TIMEOUT', status: 504 });
    expect(element.querySelector('.message')?.textContent).toBe('The transcription engine did not answer in time.');
  });

  it('speaks German for the code and keeps the English detail, marked as English', async () => {
    TestBed.inject(SettingsStore).setLanguage('de');
    const element = await render({ code: 'FILE_TOO_LARGE', status: 413, detail: 'Limit: 100 MB.' });
    expect(element.querySelector('.message')?.textContent).toBe('Die Datei ist größer als erlaubt.');
    expect(element.querySelector('.detail[lang="en"]')?.textContent).toBe('Limit: 100 MB.');
  });

  it('points to the settings for a missing API key, and explains an unreachable API', async () => {
    expect((await render({ code: 'UNAUTHORIZED', status: 401 })).querySelector('a[href="/settings"]')).not.toBeNull();
    expect((await render({ status: 0 })).textContent).toContain('The API cannot be reached.');
    expect((await render({ status: 502 })).textContent).toContain('The request failed (HTTP 502).');
  });
});
