import { HttpEventType } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { isTerminalJobStatus, type Job } from '@speech/contracts';
import { type Subscription, switchMap, takeWhile, timer } from 'rxjs';
import { ApiClient, type TranscribeOptions } from '../api/api-client';
import { type ApiFailure, toApiFailure } from '../api/api-error';
import { JobEvents } from '../jobs/job-events';
import { ServiceStatusStore } from '../status/service-status.store';
import { finalResult, GrowingBodyReader } from '../streaming/transcript-stream';
import { LocalTranscriptsStore } from '../transcripts/local-transcripts.store';
import { checkFile, type FileRejection } from './file-check';

export type RunMode = 'sync' | 'job';

/**
 * waiting → uploading → processing (sync: the API transcribes) → done | failed | cancelled;
 * job mode: uploading → queued → running → done | failed | cancelled, driven by the job's events.
 * rejected: the pre-upload check refused the file.
 */
export type UploadPhase = 'waiting' | 'uploading' | 'processing' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'rejected';

export interface UploadItem {
  readonly id: string;
  readonly file: File;
  readonly mode: RunMode;
  readonly options: TranscribeOptions;
  readonly phase: UploadPhase;
  /** Bytes of the request body sent so far, and its size (multipart overhead included). */
  readonly loaded: number;
  readonly total: number;
  readonly jobId?: string;
  /** 0..1 from the job's events. */
  readonly jobProgress?: number;
  readonly etaSeconds?: number | null;
  /** Router link of the transcript once done. */
  readonly transcriptLink?: readonly string[];
  /** Id in LocalTranscriptsStore of a sync result. */
  readonly localTranscriptId?: string;
  readonly failure?: ApiFailure;
  readonly rejection?: FileRejection;
  /** Sync uploads: the transcript's text as it streams in (then the final text). */
  readonly liveText?: string;
}

const ACTIVE: readonly UploadPhase[] = ['uploading', 'processing'];
const FINISHED: readonly UploadPhase[] = ['done', 'failed', 'cancelled', 'rejected'];
/** Poll interval when a job's event stream is refused (e.g. a proxy that buffers SSE). */
const POLL_MS = 2000;

/**
 * The files of the transcribe page and what happens to them. It lives at the root so uploads go on
 * while the person looks at another page. At most `concurrency` requests upload or wait for a sync
 * result at once, so a drop of many files does not overflow the engine's queue.
 */
@Injectable({ providedIn: 'root' })
export class UploadQueue {
  private readonly api = inject(ApiClient);
  private readonly jobEvents = inject(JobEvents);
  private readonly status = inject(ServiceStatusStore);
  private readonly transcripts = inject(LocalTranscriptsStore);
  private readonly running = new Map<string, Subscription>();
  private counter = 0;

  readonly concurrency = 2;
  readonly items = signal<readonly UploadItem[]>([]);
  readonly hasFinished = computed(() => this.items().some((item) => FINISHED.includes(item.phase)));

  /** Checks each file, queues the good ones and starts as many as the concurrency allows. */
  add(files: readonly File[], mode: RunMode, options: TranscribeOptions): void {
    const limits = this.status.limits();
    const added = files.map((file): UploadItem => {
      this.counter += 1;
      const rejection = checkFile(file, limits);
      return {
        id: `u${this.counter}`,
        file,
        mode,
        options: { ...options },
        phase: rejection ? 'rejected' : 'waiting',
        loaded: 0,
        total: file.size,
        rejection,
      };
    });
    this.items.update((items) => [...items, ...added]);
    this.pump();
  }

  cancel(id: string): void {
    const item = this.find(id);
    if (!item) return;
    if (item.jobId && (item.phase === 'queued' || item.phase === 'running')) {
      this.api.cancelJob(item.jobId).subscribe({
        // The answer is the job's state now: cancelled, or still stopping (its events tell when it has).
        next: (job) => this.applyJob(id, job),
        error: (error: unknown) => this.patch(id, { failure: toApiFailure(error) }),
      });
      return;
    }
    if (item.phase === 'waiting' || ACTIVE.includes(item.phase)) {
      // Unsubscribing aborts the XHR: the upload stops and the API sees the request cancelled.
      this.finish(id, { phase: 'cancelled' });
      this.pump();
    }
  }

  retry(id: string): void {
    const item = this.find(id);
    if (!item || (item.phase !== 'failed' && item.phase !== 'cancelled')) return;
    if (item.jobId) {
      this.api.retryJob(item.jobId).subscribe({
        next: (job) => {
          this.patch(id, { failure: undefined });
          this.applyJob(id, job);
          this.follow(id, job.id);
        },
        error: (error: unknown) => this.patch(id, { failure: toApiFailure(error) }),
      });
      return;
    }
    this.patch(id, { phase: 'waiting', loaded: 0, failure: undefined, transcriptLink: undefined, liveText: undefined });
    this.pump();
  }

  clearFinished(): void {
    this.items.update((items) => items.filter((item) => !FINISHED.includes(item.phase)));
  }

  private pump(): void {
    let free = this.concurrency - this.items().filter((item) => ACTIVE.includes(item.phase)).length;
    for (const item of this.items()) {
      if (free <= 0) break;
      if (item.phase !== 'waiting') continue;
      free -= 1;
      if (item.mode === 'sync') this.startSync(item);
      else this.startJob(item);
    }
  }

  /** Uploads with stream=true: the text shows as the engine produces it; the last event brings the whole result. */
  private startSync(item: UploadItem): void {
    this.patch(item.id, { phase: 'uploading', loaded: 0, liveText: undefined });
    const body = new GrowingBodyReader();
    const subscription = this.api.transcribe(item.file, item.options).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress) this.progress(item.id, event.loaded, event.total);
        if (event.type === HttpEventType.DownloadProgress && event.partialText !== undefined) {
          const text = body.read(event.partialText);
          if (text !== undefined) this.patch(item.id, { liveText: text });
        }
        if (event.type === HttpEventType.Response) {
          body.read(event.body ?? '');
          const result = finalResult(body.reader, event.headers.get('content-type'), event.body ?? '');
          if (result) {
            const transcript = this.transcripts.add(item.file.name, result, item.file);
            this.finish(item.id, { phase: 'done', liveText: result.text, transcriptLink: ['/transcripts', transcript.id], localTranscriptId: transcript.id });
          } else {
            // A stream that failed after its first text, or was cut before its last event: what came is kept on
            // screen, the item is not a transcript.
            const failure = body.reader.failure ?? { code: 'INTERNAL_ERROR' as const, status: event.status, detail: 'The transcript stream ended early.' };
            this.finish(item.id, { phase: 'failed', failure });
          }
          this.pump();
        }
      },
      error: (error: unknown) => {
        this.finish(item.id, { phase: 'failed', failure: toApiFailure(error) });
        this.pump();
      },
    });
    this.running.set(item.id, subscription);
  }

  private startJob(item: UploadItem): void {
    this.patch(item.id, { phase: 'uploading', loaded: 0 });
    const subscription = this.api.createJob(item.file, item.options).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress) this.progress(item.id, event.loaded, event.total);
        if (event.type === HttpEventType.Response && event.body) {
          const job = event.body;
          this.running.delete(item.id);
          this.transcripts.keepJobAudio(job.id, item.file);
          this.patch(item.id, { jobId: job.id });
          this.applyJob(item.id, job);
          if (!isTerminalJobStatus(job.status)) this.follow(item.id, job.id);
          this.pump();
        }
      },
      error: (error: unknown) => {
        this.finish(item.id, { phase: 'failed', failure: toApiFailure(error) });
        this.pump();
      },
    });
    this.running.set(item.id, subscription);
  }

  /** Live job state from its event stream; polling if the stream is refused. */
  private follow(id: string, jobId: string): void {
    this.running.get(id)?.unsubscribe();
    const subscription = this.jobEvents.forJob(jobId).subscribe({
      next: (update) => {
        if (update.kind === 'event' && update.event.job.id === jobId) this.applyJob(id, update.event.job);
      },
      error: () => this.poll(id, jobId),
    });
    this.running.set(id, subscription);
  }

  private poll(id: string, jobId: string): void {
    const subscription = timer(0, POLL_MS)
      .pipe(
        switchMap(() => this.api.job(jobId)),
        takeWhile((job) => !isTerminalJobStatus(job.status), true),
      )
      .subscribe({
        next: (job) => this.applyJob(id, job),
        error: (error: unknown) => this.patch(id, { failure: toApiFailure(error) }),
      });
    this.running.set(id, subscription);
  }

  private applyJob(id: string, job: Job): void {
    const base = { jobProgress: job.progress, etaSeconds: job.eta_seconds };
    switch (job.status) {
      case 'queued':
      case 'running':
        this.patch(id, { ...base, phase: job.status });
        return;
      case 'succeeded':
        this.finish(id, { ...base, jobProgress: 1, phase: 'done', transcriptLink: ['/jobs', job.id] });
        return;
      case 'failed':
        this.finish(id, {
          ...base,
          phase: 'failed',
          failure: { code: job.error?.code, status: 200, detail: job.error?.message },
        });
        return;
      case 'cancelled':
        this.finish(id, { ...base, phase: 'cancelled' });
    }
  }

  private progress(id: string, loaded: number, total: number | undefined): void {
    const size = total ?? this.find(id)?.total ?? loaded;
    this.patch(id, { loaded, total: size, phase: loaded >= size ? 'processing' : 'uploading' });
  }

  private finish(id: string, changes: Partial<UploadItem>): void {
    this.running.get(id)?.unsubscribe();
    this.running.delete(id);
    this.patch(id, changes);
  }

  private patch(id: string, changes: Partial<UploadItem>): void {
    this.items.update((items) => items.map((item) => (item.id === id ? { ...item, ...changes } : item)));
  }

  private find(id: string): UploadItem | undefined {
    return this.items().find((item) => item.id === id);
  }
}
