import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { routePath } from '../api/api-routes';
import type { ApiResponses, ModelObjectSchema } from '../api/generated/api.generated';

/** A download under way on the server, as the model listing reports it (absent when none runs). */
export interface ServerDownload {
  readonly received_bytes: number;
  readonly total_bytes: number | null;
}

/** A listed model; `download` is how the listing reports a download in progress (issue 18's management routes). */
export type ListedModel = ModelObjectSchema & { readonly download?: ServerDownload | null };

/** The model listing and removal; downloads stream through ModelDownloadStream. */
@Injectable({ providedIn: 'root' })
export class ModelsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<readonly ListedModel[]> {
    return this.http.get<ApiResponses['GET /v1/models']>(routePath('GET /v1/models')).pipe(map((list) => list.data as readonly ListedModel[]));
  }

  /** DELETE /v1/models/{id} (admin scope): removes the weights; not in the generated client yet, hence spelled out. */
  remove(id: string): Observable<unknown> {
    return this.http.delete(`/v1/models/${encodeURIComponent(id)}`);
  }
}
