import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { A_STATUS } from '../../../testing/fixtures';
import { StatusBadge } from './status-badge';

describe('StatusBadge', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('shows engine, model file name and readiness', async () => {
    const fixture = TestBed.createComponent(StatusBadge);
    await fixture.whenStable();
    const badge = () => (fixture.nativeElement as HTMLElement).querySelector('[data-testid="status"]');
    expect(badge()?.textContent).toContain('Connecting');
    http.expectOne('/status').flush(A_STATUS);
    http.expectOne('/health').flush({ status: 'ok' });
    await fixture.whenStable();
    expect(badge()?.textContent?.trim()).toBe('local · ggml-tiny.bin · ready');
    expect(badge()?.getAttribute('aria-label')).toBe('Service status: local · ggml-tiny.bin · ready');
    expect(badge()?.className).toContain('ok');
  });

  it('says when the API is unreachable or not ready', async () => {
    const fixture = TestBed.createComponent(StatusBadge);
    await fixture.whenStable();
    http.expectOne('/status').flush(null, { status: 0, statusText: 'Unknown Error' });
    http.expectOne('/health').flush(null, { status: 0, statusText: 'Unknown Error' });
    await fixture.whenStable();
    const badge = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="status"]');
    expect(badge?.textContent).toContain('API unreachable');
    expect(badge?.className).toContain('error');
  });
});
