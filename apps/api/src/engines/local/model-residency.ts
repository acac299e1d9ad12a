/** What the residency rules need to know of one model's worker. */
export interface ResidentModel {
  readonly id: string;
  readonly loaded: boolean;
  readonly active: number;
  readonly lastUsedAt: number;
  /** Bytes its weights take (the model file's size). */
  readonly bytes: number;
}

/** Loaded models nobody used for `ttlMs` and nothing runs on, except the default (it stays ready). */
export function idleModels(models: readonly ResidentModel[], now: number, ttlMs: number, defaultId: string): ResidentModel[] {
  if (ttlMs <= 0) return [];
  return models.filter((m) => m.loaded && m.active === 0 && m.id !== defaultId && now - m.lastUsedAt >= ttlMs);
}

/**
 * The least recently used idle models to unload so that `incoming` fits in `budgetBytes` with what stays loaded.
 * Busy models and the default (`pinnedId`, which stays ready) are never chosen; when even unloading every idle one is not enough, the incoming model loads anyway
 * (refusing it would fail requests the host may well have room for) and the list holds every idle model.
 */
export function evictionsFor(incoming: ResidentModel, models: readonly ResidentModel[], budgetBytes: number, pinnedId?: string): ResidentModel[] {
  if (budgetBytes <= 0) return [];
  const loaded = models.filter((m) => m.loaded && m.id !== incoming.id);
  let total = incoming.bytes + loaded.reduce((sum, m) => sum + m.bytes, 0);
  const evict: ResidentModel[] = [];
  for (const model of loaded.filter((m) => m.active === 0 && m.id !== pinnedId).sort((a, b) => a.lastUsedAt - b.lastUsedAt)) {
    if (total <= budgetBytes) break;
    evict.push(model);
    total -= model.bytes;
  }
  return evict;
}
