import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';
import type { ResponseFormat, TranscriptionResult } from '@speech/contracts';
import type { SubtitleOptions } from '@speech/transcript-formats';
import { firstValueFrom } from 'rxjs';
import { ApiClient } from '../api/api-client';
import { type ApiFailure, toApiFailure } from '../api/api-error';
import { type DownloadFormat, downloadName, formatDownload, MIME_TYPES } from './download-files';

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

/**
 * Saves transcripts as files: sync results are formatted in the browser (the API kept nothing), with the
 * API's own formatters (@speech/transcript-formats); job transcripts come from the API's files.
 */
@Injectable({ providedIn: 'root' })
export class TranscriptDownloads {
  private readonly api = inject(ApiClient);
  private readonly document = inject(DOCUMENT);

  saveLocal(result: TranscriptionResult, sourceName: string, format: DownloadFormat, subtitles?: SubtitleOptions): void {
    this.save(downloadName(sourceName, format), formatDownload(result, format, subtitles), format);
  }

  /** Resolves to a failure to show, or undefined once the file is saved. */
  async saveJob(jobId: string, sourceName: string, format: DownloadFormat): Promise<ApiFailure | undefined> {
    try {
      const text = await firstValueFrom(this.api.jobTranscriptFile(jobId, format));
      this.save(downloadName(sourceName, format), text, format);
      return undefined;
    } catch (error) {
      return toApiFailure(error);
    }
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
