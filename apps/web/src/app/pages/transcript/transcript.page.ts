import { DOCUMENT } from '@angular/common';
import { Component, computed, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type Job, type JobStatus, isTerminalJobStatus, languageName, type TranscriptionResult } from '@speech/contracts';
import type { Subscription } from 'rxjs';
import { ApiClient } from '../../core/api/api-client';
import { type ApiFailure, toApiFailure } from '../../core/api/api-error';
import { I18n } from '../../core/i18n/i18n.service';
import { JobEvents } from '../../core/jobs/job-events';
import { LocalTranscriptsStore, type TranscriptRef } from '../../core/transcripts/local-transcripts.store';
import { TranscriptDownloads } from '../../core/transcripts/transcript-downloads';
import type { DownloadRequest } from '../../core/transcripts/download-files';
import { ErrorMessage } from '../../shared/error-message/error-message';
import type { SpeakerRename } from '../../shared/speaker-legend/speaker-legend';
import { TranscriptView } from '../../shared/transcript-view/transcript-view';

type State = 'loading' | 'ready' | 'missing' | 'not-ready' | 'error';

/**
 * One transcript: a sync result held in this tab (`/transcripts/:id`) or a job's (`/jobs/:id`).
 * Jobs' audio is played from the file uploaded in this tab when there is one; otherwise the person
 * may attach the original file, since the API need not keep audio.
 */
@Component({
  selector: 'app-transcript-page',
  imports: [RouterLink, TranscriptView, ErrorMessage],
  templateUrl: './transcript.page.html',
  styleUrl: './transcript.page.css',
})
export class TranscriptPage {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly jobEvents = inject(JobEvents);
  private readonly store = inject(LocalTranscriptsStore);
  private readonly downloads = inject(TranscriptDownloads);
  private readonly url = inject(DOCUMENT).defaultView?.URL;

  /** Route parameter and route data (withComponentInputBinding). */
  readonly id = input.required<string>();
  readonly source = input<'local' | 'job'>('local');

  protected readonly state = signal<State>('loading');
  protected readonly result = signal<TranscriptionResult | undefined>(undefined);
  protected readonly fileName = signal('');
  protected readonly audioUrl = signal<string | undefined>(undefined);
  protected readonly jobStatus = signal<JobStatus | undefined>(undefined);
  protected readonly failure = signal<ApiFailure | undefined>(undefined);
  protected readonly downloadFailure = signal<ApiFailure | undefined>(undefined);
  private readonly ref = computed((): TranscriptRef => ({ source: this.source(), id: this.id() }));
  /** Names given to the speakers here; kept by the store beside the transcript, used by the view and downloads. */
  protected readonly speakerNames = computed(() => this.store.speakerNames(this.ref()));
  protected readonly meta = computed(() => {
    const result = this.result();
    if (!result) return '';
    const code = result.language;
    let language = languageName(code);
    try {
      language = new Intl.DisplayNames([this.i18n.language()], { type: 'language' }).of(code) ?? language;
    } catch {
      // unknown code: keep Whisper's name
    }
    return this.i18n.t('transcript.meta', { language, duration: this.i18n.clock(result.duration) });
  });

  private attachedUrl: string | undefined;
  private following: Subscription | undefined;

  constructor() {
    effect(() => {
      const id = this.id();
      const source = this.source();
      untracked(() => (source === 'job' ? this.loadJob(id) : this.loadLocal(id)));
    });
    inject(DestroyRef).onDestroy(() => {
      this.following?.unsubscribe();
      this.revokeAttached();
    });
  }

  protected statusLabel(): string {
    const status = this.jobStatus();
    return status ? this.i18n.t(`job.status.${status}`) : '';
  }

  protected download({ format, subtitles }: DownloadRequest): void {
    const result = this.result();
    if (!result) return;
    this.downloadFailure.set(undefined);
    const names = this.speakerNames();
    // Subtitle rules are applied here to the result already loaded (a job's JSON), with the API's formatters;
    // otherwise a job's files come from the API (renamed from its JSON when speakers have names).
    if (this.source() === 'local' || subtitles) {
      this.downloads.saveLocal(result, this.fileName(), format, { subtitles, names });
      return;
    }
    void this.downloads.saveJob(this.id(), this.fileName(), format, names).then((failure) => this.downloadFailure.set(failure));
  }

  protected rename({ speaker, name }: SpeakerRename): void {
    this.store.renameSpeaker(this.ref(), speaker, name);
  }

  /** A local copy of a job's audio, picked by the person; lives until they leave the page. */
  protected attach(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file || !this.url) return;
    this.revokeAttached();
    this.attachedUrl = this.url.createObjectURL(file);
    this.audioUrl.set(this.attachedUrl);
  }

  private loadLocal(id: string): void {
    const transcript = this.store.get(id);
    if (!transcript) {
      this.state.set('missing');
      return;
    }
    this.result.set(transcript.result);
    this.fileName.set(transcript.fileName);
    this.audioUrl.set(transcript.audioUrl);
    this.state.set('ready');
  }

  private loadJob(id: string): void {
    this.state.set('loading');
    this.following?.unsubscribe();
    this.api.job(id).subscribe({
      next: (job) => this.showJob(job),
      error: (error: unknown) => this.fail(error),
    });
  }

  private showJob(job: Job): void {
    this.fileName.set(job.audio.filename ?? job.id);
    this.jobStatus.set(job.status);
    this.audioUrl.set(this.attachedUrl ?? this.store.jobAudioUrl(job.id));
    if (job.status === 'succeeded') {
      this.following?.unsubscribe();
      this.api.jobTranscript(job.id).subscribe({
        next: (result) => {
          this.result.set(result);
          this.state.set('ready');
        },
        error: (error: unknown) => this.fail(error),
      });
      return;
    }
    this.state.set('not-ready');
    // Not finished yet: wait for it here, so the transcript appears when the job succeeds.
    if (!isTerminalJobStatus(job.status) && !this.following) {
      this.following = this.jobEvents.forJob(job.id).subscribe((update) => {
        if (update.kind === 'event' && update.event.job.status !== this.jobStatus()) this.showJob(update.event.job);
      });
    }
  }

  private fail(error: unknown): void {
    this.failure.set(toApiFailure(error));
    this.state.set('error');
  }

  private revokeAttached(): void {
    if (this.attachedUrl) this.url?.revokeObjectURL(this.attachedUrl);
    this.attachedUrl = undefined;
  }
}
