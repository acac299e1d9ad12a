import { Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { RESPONSE_FORMATS, type ResponseFormat, type Task, TASKS, WHISPER_LANGUAGES } from '@speech/contracts';
import type { TranscribeOptions } from '../../core/api/api-client';
import { PIPELINE_DEFAULTS, type SpeakerRequest } from '../../core/api/pipeline-fields';
import { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.en';
import type { ApiFailure } from '../../core/api/api-error';
import { ServiceStatusStore } from '../../core/status/service-status.store';
import { LocalTranscriptsStore } from '../../core/transcripts/local-transcripts.store';
import { downloadFormatOf, TranscriptDownloads } from '../../core/transcripts/transcript-downloads';
import { acceptAttribute, type FileRejection } from '../../core/upload/file-check';
import { type RunMode, type UploadItem, UploadQueue } from '../../core/upload/upload-queue';
import { DropZone } from '../../shared/drop-zone/drop-zone';
import { ErrorMessage } from '../../shared/error-message/error-message';
import { SpeakerOptionsForm } from '../../shared/speaker-options/speaker-options';

/** Drop or pick files, choose options, watch each file upload and transcribe (directly or as a job). */
@Component({
  selector: 'app-transcribe-page',
  imports: [DropZone, ErrorMessage, RouterLink, SpeakerOptionsForm],
  templateUrl: './transcribe.page.html',
  styleUrl: './transcribe.page.css',
})
export class TranscribePage {
  protected readonly i18n = inject(I18n);
  protected readonly queue = inject(UploadQueue);
  private readonly status = inject(ServiceStatusStore);
  private readonly transcripts = inject(LocalTranscriptsStore);
  private readonly downloads = inject(TranscriptDownloads);

  protected readonly tasks = TASKS;
  // diarized_json needs the speaker options this page does not offer yet (sync requests are sent as json).
  protected readonly formats = RESPONSE_FORMATS.filter((format) => format !== 'diarized_json');
  protected readonly language = signal('');
  protected readonly task = signal<Task>('transcribe');
  protected readonly format = signal<ResponseFormat>('json');
  protected readonly words = signal(false);
  /** Who spoke when; undefined: no diarization. */
  protected readonly speakers = signal<SpeakerRequest | undefined>(undefined);
  protected readonly vad = signal(PIPELINE_DEFAULTS.vad);
  protected readonly hallucinationFilter = signal(PIPELINE_DEFAULTS.hallucinationFilter);
  protected readonly mode = signal<RunMode>('sync');
  protected readonly downloadFailure = signal<ApiFailure | undefined>(undefined);

  protected readonly accept = computed(() => acceptAttribute(this.status.limits().acceptedFormats));
  protected readonly hint = computed(() => {
    const limits = this.status.limits();
    const formats = limits.acceptedFormats.join(', ');
    return limits.maxFileSizeBytes === undefined
      ? formats
      : this.i18n.t('transcribe.limits', { formats, size: this.i18n.bytes(limits.maxFileSizeBytes) });
  });

  /** Language names in the UI language (Intl), sorted; Whisper's English name where Intl has none. */
  protected readonly languages = computed(() => {
    const names = displayNames(this.i18n.language());
    return Object.entries(WHISPER_LANGUAGES)
      .map(([code, english]) => {
        const local = names?.of(code);
        return { code, name: local && local !== code ? local : english.replace(/^\w/, (c) => c.toUpperCase()) };
      })
      .sort((a, b) => a.name.localeCompare(b.name, this.i18n.language()));
  });

  protected add(files: File[]): void {
    const options: TranscribeOptions = {
      language: this.language(),
      task: this.task(),
      responseFormat: this.format(),
      wordTimestamps: this.words(),
      pipeline: { speakers: this.speakers(), vad: this.vad(), hallucinationFilter: this.hallucinationFilter() },
    };
    this.queue.add(files, this.mode(), options);
  }

  protected percent(item: UploadItem): number {
    return item.total > 0 ? Math.min(100, Math.floor((item.loaded / item.total) * 100)) : 0;
  }

  protected jobPercent(item: UploadItem): number {
    return Math.round((item.jobProgress ?? 0) * 100);
  }

  protected statusText(item: UploadItem): string {
    switch (item.phase) {
      case 'uploading':
        return this.i18n.t('upload.uploading', { percent: this.percent(item) });
      case 'processing':
        return this.i18n.t(item.mode === 'job' ? 'upload.creating' : 'upload.processing');
      case 'running': {
        const running = this.i18n.t('upload.running', { percent: this.jobPercent(item) });
        return item.etaSeconds ? `${running} · ${this.i18n.t('upload.eta', { eta: this.i18n.span(item.etaSeconds) })}` : running;
      }
      default:
        return this.i18n.t(`upload.${item.phase}` as MessageKey);
    }
  }

  protected rejectionText(item: UploadItem, rejection: FileRejection): string {
    const name = item.file.name;
    switch (rejection.reason) {
      case 'empty':
        return this.i18n.t('upload.emptyFile', { name });
      case 'too-large':
        return this.i18n.t('upload.tooLarge', { name, size: this.i18n.bytes(rejection.size), limit: this.i18n.bytes(rejection.limit) });
      case 'not-audio':
        return this.i18n.t('upload.notAudio', { name, formats: rejection.formats.join(', ') });
    }
  }

  protected formatName(format: ResponseFormat): string {
    return FORMAT_NAMES[format];
  }

  protected downloadLabel(item: UploadItem): string {
    return this.i18n.t('transcript.downloadAs', { format: downloadFormatOf(item.options.responseFormat).toUpperCase() });
  }

  /** The file in the format picked for this upload: built here for sync results, from the API for jobs. */
  protected async download(item: UploadItem): Promise<void> {
    const format = downloadFormatOf(item.options.responseFormat);
    this.downloadFailure.set(undefined);
    const local = item.localTranscriptId ? this.transcripts.get(item.localTranscriptId) : undefined;
    // Speakers renamed on the transcript page keep their names in these downloads too.
    if (local) this.downloads.saveLocal(local.result, item.file.name, format, { names: this.transcripts.speakerNames({ source: 'local', id: local.id }) });
    else if (item.jobId) {
      const names = this.transcripts.speakerNames({ source: 'job', id: item.jobId });
      this.downloadFailure.set(await this.downloads.saveJob(item.jobId, item.file.name, format, names));
    }
  }

  protected cancellable(item: UploadItem): boolean {
    return ['waiting', 'uploading', 'processing', 'queued', 'running'].includes(item.phase);
  }

  /** Worth another try: cancelled, or failed for a reason that may pass (network, busy, timeout, a job's failure). */
  protected retryable(item: UploadItem): boolean {
    if (item.phase === 'cancelled') return true;
    if (item.phase !== 'failed') return false;
    const status = item.failure?.status ?? 0;
    return item.jobId !== undefined || status === 0 || status === 408 || status === 429 || status >= 500;
  }

  protected tone(item: UploadItem): string {
    if (item.phase === 'done') return 'pill ok';
    if (item.phase === 'failed' || item.phase === 'rejected') return 'pill error';
    return 'pill';
  }

  protected pickMode(value: string): void {
    this.mode.set(value === 'job' ? 'job' : 'sync');
  }

  protected pickTask(value: string): void {
    this.task.set(value === 'translate' ? 'translate' : 'transcribe');
  }

  protected pickFormat(value: string): void {
    this.format.set(RESPONSE_FORMATS.find((format) => format === value) ?? 'json');
  }
}

const FORMAT_NAMES: Readonly<Record<ResponseFormat, string>> = {
  json: 'JSON',
  text: 'Text',
  srt: 'SubRip (SRT)',
  vtt: 'WebVTT',
  verbose_json: 'JSON (verbose)',
  diarized_json: 'JSON with speakers (diarized)',
};

function displayNames(locale: string): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
  } catch {
    return undefined;
  }
}
