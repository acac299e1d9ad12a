import { type OpenApiDocument, renderApiClient } from './render-api-client';

/**
 * Whether the committed document and client still match the API's live document. Everything but prose counts:
 * routes, parameters, bodies, answers, error codes, security. Reworded `description`/`summary` text alone is
 * reported, not failed, so a comment edit in a controller does not break the build.
 */
export interface Drift {
  readonly stale: string[];
  readonly reworded: boolean;
}

export function apiClientDrift(
  committed: { spec: string | undefined; client: string | undefined },
  live: OpenApiDocument,
): Drift {
  const stale: string[] = [];
  const liveClient = renderApiClient(live);
  let committedDocument: unknown;
  try {
    committedDocument = committed.spec === undefined ? undefined : JSON.parse(committed.spec);
  } catch {
    committedDocument = undefined;
  }
  if (committedDocument === undefined) stale.push('openapi.json is missing or not JSON');
  else stale.push(...differences(withoutProse(committedDocument), withoutProse(live), '').slice(0, 20).map((path) => `openapi.json ${path}`));
  if (withoutDocComments(committed.client ?? '') !== withoutDocComments(liveClient)) stale.push('api.generated.ts');
  const reworded = stale.length === 0 && (committed.client !== liveClient || committed.spec !== `${JSON.stringify(live, null, 2)}\n`);
  return { stale, reworded };
}

const PROSE = new Set(['description', 'summary']);

function withoutProse(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProse);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, member]) => !(PROSE.has(key) && typeof member === 'string'))
      .map(([key, member]) => [key, withoutProse(member)]),
  );
}

/** JSON-pointer-like paths where two documents differ (first differences only). */
function differences(a: unknown, b: unknown, path: string): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || '/'];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const key of [...keys].sort()) {
    out.push(...differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}/${key}`));
  }
  return out;
}

function withoutDocComments(source: string): string {
  return source
    .split('\n')
    .filter((line) => !/^\s*\/\*\*.*\*\/$/.test(line))
    .join('\n');
}
