import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { A_STATUS } from '../testing/fixtures';
import { App } from './app';
import { SettingsStore } from './core/settings/settings.store';

describe('App', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    TestBed.inject(SettingsStore).setLanguage('en');
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('has a skip link, the main navigation and the status badge', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    http.expectOne('/status').flush(A_STATUS);
    http.expectOne('/health').flush({ status: 'ok' });
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('.skip-link')?.textContent).toBe('Skip to content');
    const nav = element.querySelector('nav[aria-label="Main"]');
    expect(Array.from(nav?.querySelectorAll('a') ?? []).map((a) => [a.textContent?.trim(), a.getAttribute('href')])).toEqual([
      ['Transcribe', '/'],
      ['Live', '/live'],
      ['Jobs', '/jobs'],
      ['Models', '/models'],
      ['Settings', '/settings'],
    ]);
    expect(element.querySelector('[data-testid="status"]')?.textContent).toContain('local · ggml-tiny.bin · ready');
    expect(element.querySelector('main#main')).not.toBeNull();
  });

  it('moves focus to the content from the skip link without leaving the page', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    http.expectOne('/status').flush(A_STATUS);
    http.expectOne('/health').flush({ status: 'ok' });
    const element = fixture.nativeElement as HTMLElement;
    document.body.appendChild(element);
    (element.querySelector('.skip-link') as HTMLAnchorElement).click();
    expect(document.activeElement?.id).toBe('main');
    element.remove();
  });
});
