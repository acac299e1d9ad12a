import { DOCUMENT } from '@angular/common';
import { inject, Injectable, signal } from '@angular/core';
import type { TranscriptionResult } from '@speech/contracts';
import { renamed, type SpeakerNames } from './speaker-names';

/** A result of a direct (sync) transcription, held only in this tab, with its audio as an object URL. */
export interface LocalTranscript {
  readonly id: string;
  readonly fileName: string;
  readonly result: TranscriptionResult;
  readonly audioUrl: string | undefined;
  readonly createdAt: number;
}

/** Which transcript: a sync result held here, or a job's (whose transcript lives in the API). */
export interface TranscriptRef {
  readonly source: 'local' | 'job';
  readonly id: string;
}

const NO_NAMES: SpeakerNames = {};

/**
 * Results of sync transcriptions and the audio of jobs started in this tab. Sync results exist nowhere
 * else (the API keeps nothing), and the API may not keep a job's audio, so the uploaded File is kept
 * here as an object URL for the player. Speaker names given in the transcript view are kept here too, beside
 * the transcript they rename (the API's copy of a job's transcript keeps the speakers' original labels).
 */
@Injectable({ providedIn: 'root' })
export class LocalTranscriptsStore {
  private readonly url = inject(DOCUMENT).defaultView?.URL;
  private readonly transcripts = signal<ReadonlyMap<string, LocalTranscript>>(new Map());
  private readonly jobAudio = new Map<string, string>();
  private readonly names = signal<ReadonlyMap<string, SpeakerNames>>(new Map());
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
    this.transcripts.update((map) => without(map, id));
    this.names.update((map) => without(map, keyOf({ source: 'local', id })));
  }

  /** The names given to the transcript's speakers (read from a signal: views follow renames). */
  speakerNames(ref: TranscriptRef): SpeakerNames {
    return this.names().get(keyOf(ref)) ?? NO_NAMES;
  }

  /** Names `speaker` in the transcript; a blank name goes back to the speaker's label from the API. */
  renameSpeaker(ref: TranscriptRef, speaker: string, name: string): void {
    const key = keyOf(ref);
    this.names.update((map) => new Map(map).set(key, renamed(map.get(key) ?? NO_NAMES, speaker, name)));
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

function keyOf(ref: TranscriptRef): string {
  return `${ref.source}:${ref.id}`;
}

function without<T>(map: ReadonlyMap<string, T>, key: string): ReadonlyMap<string, T> {
  const next = new Map(map);
  next.delete(key);
  return next;
}
