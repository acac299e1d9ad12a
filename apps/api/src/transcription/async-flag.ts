import { DomainError } from '../common/domain-error';

/** `async=true` on `POST /transcribe`, from the form or the query string: create a job instead of answering now. */
export function wantsAsync(fields: Record<string, unknown>, query: Record<string, unknown>): boolean {
  const raw = fields['async'] ?? query['async'];
  if (raw === undefined || raw === '') return false;
  const value = String(raw).toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new DomainError('INVALID_OPTION', `async must be true or false; got "${value.slice(0, 20)}".`, { param: 'async' });
}
