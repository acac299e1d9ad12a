import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../common/domain-error';

/** What body-parser (through http-errors) attaches to the errors it raises. */
interface BodyParserError {
  readonly type: string;
  readonly status?: number;
  readonly message?: string;
  readonly limit?: number;
  readonly charset?: string;
  readonly encoding?: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
    && typeof (error as { status?: unknown }).status === 'number';
}

/**
 * The one mapping from body-parser's errors (JSON and urlencoded bodies) to the error model: left alone, an
 * oversize body reaches the filter as an unknown error (500) and a malformed one as a bare 400.
 */
export function bodyParserErrorToDomainError(error: unknown): DomainError | undefined {
  if (!isBodyParserError(error)) return undefined;
  switch (error.type) {
    case 'entity.too.large':
      return new DomainError('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${error.limit ?? '?'} bytes (JSON_BODY_LIMIT).`, {
        ...(error.limit !== undefined ? { limit_bytes: error.limit } : {}),
      });
    case 'parameters.too.many':
      return new DomainError('PAYLOAD_TOO_LARGE', 'The form body has too many parameters.');
    case 'entity.parse.failed':
      return new DomainError('INVALID_OPTION', `The request body is not valid JSON: ${truncate(error.message ?? 'parse error')}.`, { param: 'body' });
    case 'charset.unsupported':
      return new DomainError('INVALID_OPTION', `The body's charset "${error.charset ?? ''}" is not supported; send UTF-8.`, { param: 'content-type' });
    case 'encoding.unsupported':
      return new DomainError('INVALID_OPTION', `The Content-Encoding "${error.encoding ?? ''}" is not supported; send gzip, deflate, br or no encoding.`, { param: 'content-encoding' });
    case 'request.size.invalid':
      return new DomainError('INVALID_OPTION', 'The request body is shorter or longer than its Content-Length.', { param: 'content-length' });
    case 'request.aborted':
      return new DomainError('CANCELLED', 'The client closed the connection while sending the body.');
    default:
      return (error.status ?? 500) < 500 ? new DomainError('INVALID_OPTION', `The request body could not be read (${error.type}).`) : undefined;
  }
}

/**
 * Express error middleware placed right after the body parsers: their errors become DomainErrors, which Nest's
 * error handler hands to HttpErrorFilter like any other. A refused body is not drained: the connection closes.
 */
export function bodyParserErrorMapper(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  const mapped = bodyParserErrorToDomainError(error);
  if (mapped && (mapped.code === 'PAYLOAD_TOO_LARGE' || mapped.code === 'CANCELLED')) response.setHeader('Connection', 'close');
  next(mapped ?? error);
}

function truncate(text: string): string {
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
