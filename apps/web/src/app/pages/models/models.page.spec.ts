import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import type { ModelDownloadEvent } from '../../core/models/model-download-events';
import { ModelDownloadError, ModelDownloadStream } from '../../core/models/model-download-stream';
import type { ListedModel } from '../../core/models/models-api';
import { SettingsStore } from '../../core/settings/settings.store';
import { ModelsPage } from './models.page';

function aModel(overrides: Partial<ListedModel> & { id: string }): ListedModel {
  return {
    object: 'model',
    created: 1_700_000_000,
    owned_by: 'speech-platform',
    installed: false,
    default: false,
    languages: ['*'],
    english_only: false,
    translate_capable: true,
    size_bytes: 147_951_465,
    quantization: 'f16',
    engine: 'local',
    downloadable: true,
    download: null,
    ...overrides,
  };
}

describe('ModelsPage', () => {
  let http: HttpTestingController;
  let streams: Map<string, Subject<ModelDownloadEvent>>;
  let follow: jest.Mock;

  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    streams = new Map();
    follow = jest.fn((id: string) => {
      const stream = new Subject<ModelDownloadEvent>();
      streams.set(id, stream);
      return stream;
    });
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), { provide: ModelDownloadStream, useValue: { follow } }],
    });
    TestBed.inject(SettingsStore).setLanguage('en');
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function render(models: ListedModel[]) {
    const fixture = TestBed.createComponent(ModelsPage);
    await fixture.whenStable();
    http.expectOne('/v1/models').flush({ object: 'list', data: models });
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const row = (id: string) => element.querySelector<HTMLElement>(`[data-model="${id}"]`) as HTMLElement;
    const bar = (id: string) => row(id).querySelector<HTMLElement>('[role="progressbar"]');
    const button = (id: string, text: string) =>
      Array.from(row(id).querySelectorAll('button')).find((b) => b.textContent?.trim() === text) as HTMLButtonElement | undefined;
    const emit = async (id: string, event: ModelDownloadEvent) => {
      streams.get(id)?.next(event);
      await fixture.whenStable();
    };
    return { fixture, element, row, bar, button, emit };
  }

  it('lists each model with languages, translation, size, weights, engine and state', async () => {
    const { element } = await render([
      aModel({ id: 'tiny.en', installed: true, default: true, english_only: true, languages: ['en'], translate_capable: false, size_bytes: 77_704_715 }),
      aModel({ id: 'base', quantization: 'q5_0', size_bytes: null }),
    ]);
    const cells = Array.from(element.querySelectorAll('[data-testid="model-row"]')).map((row) =>
      Array.from(row.querySelectorAll('th, td')).map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim()),
    );
    expect(cells).toEqual([
      ['tiny.en default', 'English only', 'No', '74.1 MB', 'f16', 'local', 'Installed', ''],
      ['base', 'Multilingual', 'Yes', '–', 'q5_0', 'local', 'Not installed', 'Download'],
    ]);
  });

  it('downloads with a progress bar that follows the stream, then shows the model installed', async () => {
    const { bar, button, emit, fixture, row } = await render([aModel({ id: 'base' })]);
    button('base', 'Download')?.click();
    await fixture.whenStable();
    expect(follow).toHaveBeenCalledWith('base');
    expect(bar('base')?.getAttribute('aria-valuenow')).toBeNull(); // size not known yet: indeterminate
    expect(button('base', 'Download')).toBeUndefined();

    await emit('base', { type: 'progress', id: 'base', receivedBytes: 250, totalBytes: 1000 });
    expect(bar('base')?.getAttribute('aria-valuenow')).toBe('25');
    await emit('base', { type: 'progress', id: 'base', receivedBytes: 800, totalBytes: 1000 });
    expect(bar('base')?.getAttribute('aria-valuenow')).toBe('80');
    expect(bar('base')?.getAttribute('aria-valuetext')).toBe('800 B of 1,000 B');

    await emit('base', { type: 'completed', id: 'base', sizeBytes: 1000, sha256: 'ab' });
    http.expectOne('/v1/models').flush({ object: 'list', data: [aModel({ id: 'base', installed: true, size_bytes: 1000 })] });
    await fixture.whenStable();
    expect(bar('base')).toBeNull();
    expect(row('base').querySelector('[data-testid="model-state"]')?.textContent?.trim()).toBe('Installed');
    expect(sessionStorage.getItem('speech.modelDownloads')).toBeNull();
  });

  it('shows a failed download by its code, with the request id, and offers Download again', async () => {
    const { button, emit, fixture, row } = await render([aModel({ id: 'base' })]);
    button('base', 'Download')?.click();
    await fixture.whenStable();
    await emit('base', {
      type: 'failed',
      id: 'base',
      failure: { code: 'MODEL_DOWNLOAD_FAILED', status: 502, detail: 'connection reset after 3 attempts', requestId: 'req-7' },
    });
    const alert = row('base').querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('connection reset after 3 attempts');
    expect(alert?.textContent).toContain('req-7');
    expect(button('base', 'Download')).toBeDefined();
  });

  it('shows a refused download (stream error) in German by its code', async () => {
    TestBed.inject(SettingsStore).setLanguage('de');
    const { button, fixture, row } = await render([aModel({ id: 'base' })]);
    button('base', 'Herunterladen')?.click();
    await fixture.whenStable();
    streams.get('base')?.error(new ModelDownloadError({ code: 'FORBIDDEN', status: 403, detail: 'admin scope needed' }));
    await fixture.whenStable();
    const message = row('base').querySelector('[role="alert"] .message')?.textContent ?? '';
    expect(message).not.toBe('admin scope needed');
    expect(message.length).toBeGreaterThan(0);
    expect(row('base').querySelector('[role="alert"] .detail')?.textContent).toBe('admin scope needed');
  });

  it('re-attaches after a reload: to downloads the listing reports and to those this tab started', async () => {
    sessionStorage.setItem('speech.modelDownloads', JSON.stringify(['small', 'tiny.en']));
    const { bar } = await render([
      aModel({ id: 'base', download: { received_bytes: 600, total_bytes: 1200 } }),
      aModel({ id: 'small' }),
      aModel({ id: 'tiny.en', installed: true }),
      aModel({ id: 'medium' }),
    ]);
    expect(follow.mock.calls.map(([id]) => id)).toEqual(['base', 'small']);
    expect(bar('base')?.getAttribute('aria-valuenow')).toBe('50');
    expect(bar('small')).not.toBeNull();
    expect(bar('medium')).toBeNull();
    // tiny.en finished while the page was away: forgotten, not followed
    expect(JSON.parse(sessionStorage.getItem('speech.modelDownloads') ?? '[]')).toEqual(['small']);
  });

  it('deletes an installed model after a second press, then reloads the listing', async () => {
    const { button, fixture } = await render([aModel({ id: 'base', installed: true }), aModel({ id: 'tiny.en', installed: true, default: true })]);
    expect(button('tiny.en', 'Delete')).toBeUndefined(); // the default stays
    button('base', 'Delete')?.click();
    await fixture.whenStable();
    http.expectNone({ method: 'DELETE' });
    button('base', 'Really delete?')?.click();
    await fixture.whenStable();
    http.expectOne({ method: 'DELETE', url: '/v1/models/base' }).flush(null, { status: 204, statusText: 'No Content' });
    http.expectOne('/v1/models').flush({ object: 'list', data: [aModel({ id: 'base' }), aModel({ id: 'tiny.en', installed: true, default: true })] });
    await fixture.whenStable();
    expect(button('base', 'Download')).toBeDefined();
  });

  it('shows a refused delete by its code', async () => {
    const { button, fixture, row } = await render([aModel({ id: 'base', installed: true })]);
    button('base', 'Delete')?.click();
    await fixture.whenStable();
    button('base', 'Really delete?')?.click();
    http
      .expectOne({ method: 'DELETE', url: '/v1/models/base' })
      .flush({ error: { message: 'This API key does not have the admin scope.', type: 'permission_error', code: 'FORBIDDEN' } }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(row('base').querySelector('[role="alert"]')?.textContent).toContain('This API key does not have the admin scope.');
  });
});
