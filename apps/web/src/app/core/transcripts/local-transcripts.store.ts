import { DOCUMENT } from '@angular/common';
import { inject, Injectable, signal } from '@angular/core';
import type { TranscriptionResult } from '@speech/contracts';

/** A result of a direct (sync) transcription, held only in this tab, with its audio as an object URL. */
export interface LocalTranscript {
  readonly id: string;
  readonly fileName: string;
  readonly result: TranscriptionResult;
  readonly audioUrl: string | undefined;
  readonly createdAt: number;
}

/**
 * Results of sync transcriptions and the audio of jobs started in this tab. Sync results exist nowhere
 * else (the API keeps nothing), and the API may not keep a job's audio, so the uploaded File is kept
 * here as an object URL for the player.
 */
@Injectable({ providedIn: 'root' })
export class LocalTranscriptsStore {
  private readonly url = inject(DOCUMENT).defaultView?.URL;
  private readonly transcripts = signal<ReadonlyMap<string, LocalTranscript>>(new Map());
  private readonly jobAudio = new Map<string, string>();
  private counter = 0;

  add(fileName: string, result: TranscriptionResult, audio: Blob | undefined): LocalTranscript {
    this.counter += 1;
    const transcript: LocalTranscript = {
      id: `${Date.now().toString(36)}-${this.counter}`,
      fileName,
      result,
      audioUrl: audio ? this.objectUrl(audio) : undefined,
      createdAt: Date.now(),
    };
    this.transcripts.update((map) => new Map(map).set(transcript.id, transcript));
    return transcript;
  }

  get(id: string): LocalTranscript | undefined {
    return this.transcripts().get(id);
  }

  remove(id: string): void {
    const transcript = this.transcripts().get(id);
    if (!transcript) return;
    if (transcript.audioUrl) this.url?.revokeObjectURL(transcript.audioUrl);
    this.transcripts.update((map) => {
      const next = new Map(map);
      next.delete(id);
      return next;
    });
  }

  /** Keeps the file a job was created from, so its transcript page can play it. */
  keepJobAudio(jobId: string, audio: Blob): void {
    if (!this.jobAudio.has(jobId)) this.jobAudio.set(jobId, this.objectUrl(audio) ?? '');
  }

  jobAudioUrl(jobId: string): string | undefined {
    return this.jobAudio.get(jobId) || undefined;
  }

  private objectUrl(blob: Blob): string | undefined {
    return this.url?.createObjectURL ? this.url.createObjectURL(blob) : undefined;
  }
}
