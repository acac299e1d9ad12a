import { DomainError } from '../common/domain-error';

/** Position in the newest-first job list: the last job of the previous page. */
export interface JobCursor {
  readonly createdAt: number;
  readonly id: string;
}

/** Opaque to clients (base64url JSON), so adapters may change what they put in it. */
export function encodeCursor(last: JobCursor): string {
  return Buffer.from(JSON.stringify({ c: last.createdAt, i: last.id }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): JobCursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c?: unknown; i?: unknown };
    if (typeof value.c === 'number' && typeof value.i === 'string') return { createdAt: value.c, id: value.i };
  } catch {
    // fall through to the client error
  }
  throw new DomainError('INVALID_OPTION', 'cursor is not a value this API returned as next_cursor.', { param: 'cursor' });
}
