import { DOCUMENT } from '@angular/common';
import { Component, DestroyRef, inject, type OnInit, signal } from '@angular/core';
import type { Subscription } from 'rxjs';
import { type ApiFailure, toApiFailure } from '../../core/api/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { ModelDownloadError, ModelDownloadStream } from '../../core/models/model-download-stream';
import { type ListedModel, ModelsApi } from '../../core/models/models-api';
import { ErrorMessage } from '../../shared/error-message/error-message';

/** Bytes so far of a download this page follows. */
interface Progress {
  readonly received: number;
  readonly total: number | null;
}

/** Ids of the downloads started from this browser, so a reload re-attaches even if the listing does not say. */
const STARTED_KEY = 'speech.modelDownloads';

/** The models the service can run: capabilities, installed or not; download with a progress bar, delete. */
@Component({
  selector: 'app-models-page',
  imports: [ErrorMessage],
  templateUrl: './models.page.html',
  styleUrl: './models.page.css',
})
export class ModelsPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ModelsApi);
  private readonly downloads = inject(ModelDownloadStream);
  private readonly storage = safeSessionStorage(inject(DOCUMENT).defaultView);

  protected readonly models = signal<readonly ListedModel[]>([]);
  protected readonly loading = signal(true);
  protected readonly failure = signal<ApiFailure | undefined>(undefined);
  protected readonly progress = signal<ReadonlyMap<string, Progress>>(new Map());
  protected readonly failures = signal<ReadonlyMap<string, ApiFailure>>(new Map());
  /** The model whose Delete was pressed once; the second press deletes. */
  protected readonly confirming = signal<string | undefined>(undefined);
  protected readonly deleting = signal<string | undefined>(undefined);
  private readonly followed = new Map<string, Subscription>();

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      for (const subscription of this.followed.values()) subscription.unsubscribe();
    });
  }

  ngOnInit(): void {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.api.list().subscribe({
      next: (models) => {
        this.models.set(models);
        this.failure.set(undefined);
        this.loading.set(false);
        this.reattach(models);
      },
      error: (error: unknown) => {
        this.failure.set(toApiFailure(error));
        this.loading.set(false);
      },
    });
  }

  protected download(id: string): void {
    this.setFailure(id, undefined);
    this.setProgress(id, { received: 0, total: null });
    this.remember(id, true);
    this.follow(id);
  }

  protected remove(id: string): void {
    if (this.confirming() !== id) {
      this.confirming.set(id);
      return;
    }
    this.confirming.set(undefined);
    this.deleting.set(id);
    this.setFailure(id, undefined);
    this.api.remove(id).subscribe({
      next: () => {
        this.deleting.set(undefined);
        this.load();
      },
      error: (error: unknown) => {
        this.deleting.set(undefined);
        this.setFailure(id, toApiFailure(error));
      },
    });
  }

  /** Whole percent, or undefined while the size is unknown (the bar is then indeterminate). */
  protected percent(progress: Progress): number | undefined {
    if (!progress.total) return undefined;
    return Math.min(100, Math.floor((progress.received / progress.total) * 100));
  }

  protected languages(model: ListedModel): string {
    return model.english_only ? this.i18n.t('models.englishOnly') : this.i18n.t('models.multilingual');
  }

  /** Downloads the server reports as running, or that this browser started and that are not installed yet. */
  private reattach(models: readonly ListedModel[]): void {
    const started = this.started();
    for (const model of models) {
      if (model.installed) {
        this.remember(model.id, false);
        continue;
      }
      if (this.followed.has(model.id)) continue;
      const running = model.download ?? undefined;
      if (!running && !started.includes(model.id)) continue;
      this.setProgress(model.id, { received: running?.received_bytes ?? 0, total: running?.total_bytes ?? null });
      this.follow(model.id);
    }
  }

  private follow(id: string): void {
    this.followed.get(id)?.unsubscribe();
    const subscription = this.downloads.follow(id).subscribe({
      next: (event) => {
        if (event.type === 'progress') this.setProgress(id, { received: event.receivedBytes, total: event.totalBytes });
        else if (event.type === 'failed') this.finish(id, event.failure);
        else this.finish(id, undefined);
      },
      error: (error: unknown) => this.finish(id, error instanceof ModelDownloadError ? error.failure : toApiFailure(error)),
    });
    if (!subscription.closed) this.followed.set(id, subscription);
  }

  private finish(id: string, failure: ApiFailure | undefined): void {
    this.followed.delete(id);
    this.remember(id, false);
    this.setProgress(id, undefined);
    this.setFailure(id, failure);
    // The listing now says installed (and the size and date of the file on disk).
    if (!failure) this.load();
  }

  private setProgress(id: string, progress: Progress | undefined): void {
    this.progress.update((all) => withEntry(all, id, progress));
  }

  private setFailure(id: string, failure: ApiFailure | undefined): void {
    this.failures.update((all) => withEntry(all, id, failure));
  }

  private started(): string[] {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(STARTED_KEY) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }

  private remember(id: string, running: boolean): void {
    const ids = this.started().filter((other) => other !== id);
    if (running) ids.push(id);
    try {
      if (ids.length > 0) this.storage?.setItem(STARTED_KEY, JSON.stringify(ids));
      else this.storage?.removeItem(STARTED_KEY);
    } catch {
      // storage blocked: a reload then relies on the listing's own report of running downloads
    }
  }
}

function withEntry<T>(map: ReadonlyMap<string, T>, key: string, value: T | undefined): ReadonlyMap<string, T> {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}

/** sessionStorage (per tab, survives reloads), or undefined where the browser blocks it. */
function safeSessionStorage(view: Window | null): Storage | undefined {
  try {
    return view?.sessionStorage ?? undefined;
  } catch {
    return undefined;
  }
}
