import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';
import type { ResponseFormat, TranscriptionResult } from '@speech/contracts';
import { hasSubtitleOptions, parseSubtitleOptions, type SubtitleOptions } from '@speech/transcript-formats';
import { firstValueFrom } from 'rxjs';
import { ApiClient } from '../api/api-client';
import { type ApiFailure, toApiFailure } from '../api/api-error';
import { type DownloadFormat, downloadName, formatDownload, MIME_TYPES } from './download-files';
import { hasSpeakerNames, type SpeakerNames, withSpeakerNames } from './speaker-names';

/** The download a response format stands for in the console (verbose_json is the API-only variant of json). */
export function downloadFormatOf(format: ResponseFormat): DownloadFormat {
  switch (format) {
    case 'text':
      return 'txt';
    case 'srt':
    case 'vtt':
      return format;
    default:
      return 'json';
  }
}

export interface LocalDownloadOptions {
  readonly subtitles?: SubtitleOptions;
  readonly names?: SpeakerNames;
}

/**
 * Saves transcripts as files: sync results are formatted in the browser (the API kept nothing), with the
 * API's own formatters (@speech/transcript-formats); job transcripts come from the API's files, unless the
 * person renamed speakers: then the job's JSON is renamed here and formatted the same way.
 */
@Injectable({ providedIn: 'root' })
export class TranscriptDownloads {
  private readonly api = inject(ApiClient);
  private readonly document = inject(DOCUMENT);

  /** `subtitles`: SRT/VTT line rules; `names`: speaker renames to write into the file (see withSpeakerNames). */
  saveLocal(result: TranscriptionResult, sourceName: string, format: DownloadFormat, { subtitles, names = {} }: LocalDownloadOptions = {}): void {
    this.save(downloadName(sourceName, format), formatDownload(withSpeakerNames(result, names), format, subtitles), format);
  }

  /** Resolves to a failure to show, or undefined once the file is saved. */
  async saveJob(jobId: string, sourceName: string, format: DownloadFormat, names: SpeakerNames = {}): Promise<ApiFailure | undefined> {
    try {
      const text = hasSpeakerNames(names) ? await this.renamedJobFile(jobId, format, names) : await firstValueFrom(this.api.jobTranscriptFile(jobId, format));
      this.save(downloadName(sourceName, format), text, format);
      return undefined;
    } catch (error) {
      return toApiFailure(error);
    }
  }

  /** The job's file as the API would write it with these names: its JSON, renamed, with the job's subtitle rules. */
  private async renamedJobFile(jobId: string, format: DownloadFormat, names: SpeakerNames): Promise<string> {
    const [job, result] = await Promise.all([firstValueFrom(this.api.job(jobId)), firstValueFrom(this.api.jobTranscript(jobId))]);
    const rules = parseSubtitleOptions(job.options);
    const subtitles = rules.ok && hasSubtitleOptions(rules.options) ? rules.options : undefined;
    return formatDownload(withSpeakerNames(result, names), format, subtitles);
  }

  private save(name: string, text: string, format: DownloadFormat): void {
    const view = this.document.defaultView;
    if (!view?.URL.createObjectURL) return;
    const url = view.URL.createObjectURL(new Blob([text], { type: MIME_TYPES[format] }));
    const link = this.document.createElement('a');
    link.href = url;
    link.download = name;
    link.style.display = 'none';
    this.document.body.appendChild(link);
    link.click();
    link.remove();
    // Revoke later: some browsers read the URL after click() returns.
    view.setTimeout(() => view.URL.revokeObjectURL(url), 10_000);
  }
}
