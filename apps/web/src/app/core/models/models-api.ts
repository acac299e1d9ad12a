import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { routePath } from '../api/api-routes';
import type { ApiResponses, ModelObjectSchema } from '../api/generated/api.generated';

/** A listed model; `download` reports a download running on the server (null when none). */
export type ListedModel = ModelObjectSchema;

/** The model listing and removal; downloads stream through ModelDownloadStream. */
@Injectable({ providedIn: 'root' })
export class ModelsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<readonly ListedModel[]> {
    return this.http.get<ApiResponses['GET /v1/models']>(routePath('GET /v1/models')).pipe(map((list) => list.data));
  }

  /** Removes the weights (admin scope). */
  remove(id: string): Observable<ApiResponses['DELETE /v1/models/{id}']> {
    return this.http.delete<ApiResponses['DELETE /v1/models/{id}']>(routePath('DELETE /v1/models/{id}', { id }));
  }
}
