import { computed, inject, Injectable, signal } from '@angular/core';
import { ACCEPTED_AUDIO_FORMATS } from '@speech/contracts';
import { ApiClient } from '../api/api-client';
import { type ApiFailure, toApiFailure } from '../api/api-error';
import type { ServiceStatus } from '../api/generated/api.generated';

export type Health = 'unknown' | 'ok' | 'down';

export interface UploadLimits {
  readonly maxFileSizeBytes?: number;
  readonly acceptedFormats: readonly string[];
}

/** GET /status and GET /health: the badge, the settings page and the upload checks read them from here. */
@Injectable({ providedIn: 'root' })
export class ServiceStatusStore {
  private readonly api = inject(ApiClient);

  readonly status = signal<ServiceStatus | undefined>(undefined);
  readonly health = signal<Health>('unknown');
  readonly failure = signal<ApiFailure | undefined>(undefined);
  readonly loaded = signal(false);

  /** The API's limits; the contract's formats until /status has answered. */
  readonly limits = computed<UploadLimits>(() => {
    const limits = this.status()?.limits;
    return {
      maxFileSizeBytes: limits?.max_file_size_bytes,
      acceptedFormats: limits?.accepted_formats ?? ACCEPTED_AUDIO_FORMATS,
    };
  });

  refresh(): void {
    this.api.status().subscribe({
      next: (status) => {
        this.status.set(status);
        this.failure.set(undefined);
        this.loaded.set(true);
      },
      error: (error: unknown) => {
        this.failure.set(toApiFailure(error));
        this.loaded.set(true);
      },
    });
    this.api.health().subscribe({
      next: () => this.health.set('ok'),
      error: () => this.health.set('down'),
    });
  }
}
