import { HttpClient, type HttpErrorResponse } from '@angular/common/http';
import { Component, inject, type OnInit, signal } from '@angular/core';
import type { TranscriptionResult } from '@speech/contracts';
import { messageForError } from './core/api-error';

interface ServiceStatus {
  engine: { name: string; model: string };
}

/** Console scaffold: service status and a one-file transcription. The full console grows from here. */
@Component({
  selector: 'app-root',
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App implements OnInit {
  private readonly http = inject(HttpClient);

  protected readonly status = signal<ServiceStatus | undefined>(undefined);
  protected readonly statusError = signal<string | undefined>(undefined);
  protected readonly file = signal<File | undefined>(undefined);
  protected readonly busy = signal(false);
  protected readonly result = signal<TranscriptionResult | undefined>(undefined);
  protected readonly error = signal<string | undefined>(undefined);

  ngOnInit(): void {
    this.http.get<ServiceStatus>('/status').subscribe({
      next: (status) => this.status.set(status),
      error: (error: HttpErrorResponse) => this.statusError.set(messageForError(error)),
    });
  }

  protected pick(event: Event): void {
    this.file.set((event.target as HTMLInputElement).files?.[0]);
    this.result.set(undefined);
    this.error.set(undefined);
  }

  protected transcribe(): void {
    const file = this.file();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    form.append('response_format', 'json');
    this.busy.set(true);
    this.error.set(undefined);
    this.http.post<TranscriptionResult>('/transcribe', form).subscribe({
      next: (result) => {
        this.result.set(result);
        this.busy.set(false);
      },
      error: (error: HttpErrorResponse) => {
        this.error.set(messageForError(error));
        this.busy.set(false);
      },
    });
  }
}
