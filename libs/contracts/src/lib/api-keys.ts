/** What an API key may do. `admin` implies the others and may read every owner's jobs and /metrics. */
export const API_KEY_SCOPES = ['transcribe', 'jobs:read', 'admin'] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}
