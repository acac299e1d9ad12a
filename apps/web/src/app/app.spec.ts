import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { App } from './app';

describe('App', () => {
  let http: HttpTestingController;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('shows the engine and model from /status', async () => {
    const fixture = TestBed.createComponent(App);
    fixture.detectChanges();
    http.expectOne('/status').flush({ engine: { name: 'local', model: 'large-v3-turbo' } });
    await fixture.whenStable();
    fixture.detectChanges();
    const badge = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="status"]');
    expect(badge?.textContent).toContain('local · large-v3-turbo');
  });

  it('uploads the picked file and shows the human message for an error code', async () => {
    const fixture = TestBed.createComponent(App);
    fixture.detectChanges();
    http.expectOne('/status').flush({ engine: { name: 'local', model: 'tiny' } });
    const input = (fixture.nativeElement as HTMLElement).querySelector('input[type="file"]') as HTMLInputElement;
    const file = new File(['not audio'], 'notes.txt', { type: 'text/plain' });
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    fixture.detectChanges();
    (fixture.nativeElement as HTMLElement).querySelector('button')?.click();
    const request = http.expectOne('/transcribe');
    expect((request.request.body as FormData).get('file')).toBe(file);
    request.flush(
      { code: 'UNSUPPORTED_MEDIA', detail: 'The file is not in a supported audio format. Accepted: mp3, wav.' },
      { status: 415, statusText: 'Unsupported Media Type' },
    );
    fixture.detectChanges();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Accepted: mp3, wav.');
  });
});
