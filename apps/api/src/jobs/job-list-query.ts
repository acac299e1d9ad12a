import { JOB_STATUSES, type JobStatus } from '@speech/contracts';
import { DomainError } from '../common/domain-error';

export interface ListQuery {
  readonly statuses: JobStatus[];
  readonly limit: number;
  readonly cursor?: string;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/** `?status=failed,cancelled&limit=50&cursor=…` (status may also repeat). */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const raw = query['status'];
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((value) => String(value).split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  for (const value of values) {
    if (!(JOB_STATUSES as readonly string[]).includes(value)) {
      throw new DomainError('INVALID_OPTION', `status must be one of ${JOB_STATUSES.join(', ')}; got "${value.slice(0, 20)}".`, { param: 'status' });
    }
  }
  let limit = DEFAULT_PAGE;
  if (query['limit'] !== undefined && query['limit'] !== '') {
    limit = Number(query['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new DomainError('INVALID_OPTION', `limit must be an integer from 1 to ${MAX_PAGE}.`, { param: 'limit' });
    }
  }
  const cursor = typeof query['cursor'] === 'string' && query['cursor'] ? query['cursor'] : undefined;
  return { statuses: [...new Set(values as JobStatus[])], limit, ...(cursor ? { cursor } : {}) };
}
