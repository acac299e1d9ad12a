import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorCode } from '@speech/contracts';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error';
import { type ErrorDescription, openAiErrorBody, problemBody } from './error-body';
import { currentRequestId } from './request-context';

/** The one place where errors become HTTP responses: problem+json, or OpenAI's shape under /v1. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = describeError(exception);
    if (error.code === 'INTERNAL_ERROR') {
      this.logger.error(exception instanceof Error ? exception : String(exception));
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const status = new DomainError(error.code).status;
    if (exception instanceof DomainError && exception.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    }
    // A request the client already abandoned gets no body; 499 is only for logs and metrics.
    if (request.destroyed && error.code === 'CANCELLED') {
      response.status(status).end();
      return;
    }
    if (isOpenAiRoute(request)) {
      response.status(status).json(openAiErrorBody(error));
    } else {
      response.status(status).type('application/problem+json').send(JSON.stringify(problemBody(error, currentRequestId())));
    }
  }
}

export function isOpenAiRoute(request: Request): boolean {
  return (request.originalUrl ?? request.url).startsWith('/v1/');
}

/** Any thrown value as a stable code, message and details (what every error body is made from). */
export function describeError(exception: unknown): ErrorDescription {
  if (exception instanceof DomainError) {
    return { code: exception.code, message: exception.message, details: exception.details };
  }
  if (exception instanceof HttpException) {
    const code = codeForHttpStatus(exception.getStatus());
    return { code, message: messageOf(exception), details: {} };
  }
  return { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred.', details: {} };
}

function codeForHttpStatus(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 408) return 'REQUEST_TIMEOUT';
  if (status === 413) return 'FILE_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'INVALID_OPTION';
  return 'INTERNAL_ERROR';
}

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const message = (body as { message: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }
  return exception.message;
}
