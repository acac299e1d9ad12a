import { inject, Injectable } from '@angular/core';
import { JOB_EVENT_TYPES, type JobEvent } from '@speech/contracts';
import { map, type Observable } from 'rxjs';
import { ApiClient } from '../api/api-client';
import { SseClient, type SseUpdate } from '../api/sse-client';

export type JobStreamUpdate =
  | { readonly kind: 'open' }
  | { readonly kind: 'reconnecting'; readonly delayMs: number }
  | { readonly kind: 'event'; readonly event: JobEvent }
  /** A message that was not a JobEvent (ignored by the views, kept for diagnosis). */
  | { readonly kind: 'other' };

/** The jobs event streams of the API as typed JobEvents (`event: job`, data = JobEvent JSON). */
@Injectable({ providedIn: 'root' })
export class JobEvents {
  private readonly api = inject(ApiClient);
  private readonly sse = inject(SseClient);

  /** One job: the first event is its current state. */
  forJob(id: string): Observable<JobStreamUpdate> {
    return this.sse.connect(this.api.jobEventsUrl(id)).pipe(map(toJobUpdate));
  }

  /** Every job of the instance. */
  all(): Observable<JobStreamUpdate> {
    return this.sse.connect(this.api.allJobEventsUrl()).pipe(map(toJobUpdate));
  }
}

export function toJobUpdate(update: SseUpdate): JobStreamUpdate {
  if (update.kind !== 'message') return update;
  const { event, data } = update.message;
  if (event !== 'job' && event !== 'message') return { kind: 'other' };
  try {
    const parsed = JSON.parse(data) as Partial<JobEvent>;
    const known = (JOB_EVENT_TYPES as readonly string[]).includes(parsed.type ?? '');
    if (!known || typeof parsed.job?.id !== 'string') return { kind: 'other' };
    return { kind: 'event', event: parsed as JobEvent };
  } catch {
    return { kind: 'other' };
  }
}
