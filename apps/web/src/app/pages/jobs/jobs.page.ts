import { Component, computed, DestroyRef, inject, type OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type Job, JOB_STATUSES, type JobStatus, RETRYABLE_JOB_STATUSES, isTerminalJobStatus } from '@speech/contracts';
import { type Subscription, timer } from 'rxjs';
import { ApiClient } from '../../core/api/api-client';
import { type ApiFailure, toApiFailure } from '../../core/api/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { JobEvents } from '../../core/jobs/job-events';
import { ErrorMessage } from '../../shared/error-message/error-message';

export const JOBS_PAGE_SIZE = 20;
const POLL_MS = 5000;
const CLOCK_MS = 15_000;

type Live = 'connecting' | 'open' | 'reconnecting' | 'polling';

/** Every job, newest first: filter by status, page with the API's cursor, retry or cancel; updated live from SSE. */
@Component({
  selector: 'app-jobs-page',
  imports: [RouterLink, ErrorMessage],
  templateUrl: './jobs.page.html',
  styleUrl: './jobs.page.css',
})
export class JobsPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly events = inject(JobEvents);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly statuses = JOB_STATUSES;
  protected readonly filter = signal<JobStatus | ''>('');
  protected readonly jobs = signal<readonly Job[]>([]);
  protected readonly loading = signal(true);
  protected readonly failure = signal<ApiFailure | undefined>(undefined);
  protected readonly actionFailure = signal<ApiFailure | undefined>(undefined);
  protected readonly live = signal<Live>('connecting');
  protected readonly now = signal(Date.now());
  /** Cursors of the pages before this one; the current page's cursor is the last (undefined = first page). */
  private readonly cursors = signal<ReadonlyArray<string | undefined>>([undefined]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly firstPage = computed(() => this.cursors().length === 1);

  private listRequest: Subscription | undefined;
  private stream: Subscription | undefined;

  ngOnInit(): void {
    this.load();
    this.connect();
    const clock = setInterval(() => this.now.set(Date.now()), CLOCK_MS);
    this.destroyRef.onDestroy(() => {
      clearInterval(clock);
      this.stream?.unsubscribe();
      this.listRequest?.unsubscribe();
    });
  }

  protected setFilter(value: string): void {
    this.filter.set(JOB_STATUSES.find((status) => status === value) ?? '');
    this.cursors.set([undefined]);
    this.load();
  }

  protected older(): void {
    const next = this.nextCursor();
    if (!next) return;
    this.cursors.update((cursors) => [...cursors, next]);
    this.load();
  }

  protected newer(): void {
    if (this.firstPage()) return;
    this.cursors.update((cursors) => cursors.slice(0, -1));
    this.load();
  }

  protected load(): void {
    const cursor = this.cursors().at(-1);
    const status = this.filter();
    this.loading.set(true);
    this.listRequest?.unsubscribe();
    this.listRequest = this.api.listJobs({ limit: JOBS_PAGE_SIZE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) }).subscribe({
      next: (list) => {
        this.jobs.set(list.data);
        this.nextCursor.set(list.next_cursor);
        this.failure.set(undefined);
        this.loading.set(false);
      },
      error: (error: unknown) => {
        this.failure.set(toApiFailure(error));
        this.loading.set(false);
      },
    });
  }

  protected retry(job: Job): void {
    this.actionFailure.set(undefined);
    this.api.retryJob(job.id).subscribe({
      next: (updated) => this.upsert(updated),
      error: (error: unknown) => this.actionFailure.set(toApiFailure(error)),
    });
  }

  protected cancel(job: Job): void {
    this.actionFailure.set(undefined);
    this.api.cancelJob(job.id).subscribe({
      next: () => this.api.job(job.id).subscribe({ next: (updated) => this.upsert(updated), error: () => undefined }),
      error: (error: unknown) => this.actionFailure.set(toApiFailure(error)),
    });
  }

  protected canRetry(job: Job): boolean {
    return RETRYABLE_JOB_STATUSES.includes(job.status);
  }

  protected canCancel(job: Job): boolean {
    return !isTerminalJobStatus(job.status);
  }

  protected percent(job: Job): number {
    return Math.round((job.status === 'succeeded' ? 1 : job.progress) * 100);
  }

  protected took(job: Job): string | undefined {
    if (!job.started_at || !job.finished_at) return undefined;
    return this.i18n.span((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000);
  }

  protected tone(job: Job): string {
    switch (job.status) {
      case 'succeeded':
        return 'pill ok';
      case 'failed':
        return 'pill error';
      case 'running':
        return 'pill warn';
      default:
        return 'pill';
    }
  }

  protected statusLabel(status: JobStatus): string {
    return this.i18n.t(`job.status.${status}`);
  }

  private connect(): void {
    this.stream = this.events.all().subscribe({
      next: (update) => {
        if (update.kind === 'open') this.live.set('open');
        else if (update.kind === 'reconnecting') this.live.set('reconnecting');
        else if (update.kind === 'event') this.apply(update.event.type, update.event.job);
      },
      // The stream was refused (e.g. a proxy without SSE): fall back to reloading the page of jobs.
      error: () => {
        this.live.set('polling');
        this.stream = timer(POLL_MS, POLL_MS).subscribe(() => this.load());
      },
    });
  }

  private apply(type: string, job: Job): void {
    if (type === 'job.deleted') {
      this.jobs.update((jobs) => jobs.filter((candidate) => candidate.id !== job.id));
      return;
    }
    const shown = this.jobs().some((candidate) => candidate.id === job.id);
    if (shown || (type === 'job.created' && this.firstPage())) this.upsert(job);
  }

  /** Replaces a shown job, or adds a new one on top of the first page; drops jobs that left the filter. */
  private upsert(job: Job): void {
    const filter = this.filter();
    this.jobs.update((jobs) => {
      const rest = jobs.filter((candidate) => candidate.id !== job.id);
      if (filter && job.status !== filter) return rest;
      const index = jobs.findIndex((candidate) => candidate.id === job.id);
      if (index >= 0) return jobs.map((candidate) => (candidate.id === job.id ? job : candidate));
      return [job, ...rest].slice(0, JOBS_PAGE_SIZE);
    });
  }
}
