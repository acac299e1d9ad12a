import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The SageMaker runtime's wire shapes (restJson1, API version 2017-05-13), as the AWS SDK's model describes them
 * (node_modules/@aws-sdk/client-sagemaker-runtime/dist-cjs/index.js): errors carry their type in
 * `x-amzn-ErrorType`, a JSON body with `message`, and the modelled members (ModelError: OriginalStatusCode,
 * OriginalMessage, LogStreamArn). Message texts follow the ones SageMaker is known to send.
 */

export const ACCOUNT_ID = '123456789012';

/** Error types with the status the SDK's model gives them (unmodelled ones, like throttling, as AWS sends them). */
export const ERROR_STATUS = {
  ValidationError: 400,
  ThrottlingException: 400,
  ModelNotReadyException: 429,
  ModelError: 424,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  InvalidSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  UnknownOperationException: 404,
} as const;

export type WireErrorType = keyof typeof ERROR_STATUS;

export function sendError(response: ServerResponse, type: WireErrorType, message: string, members: Record<string, unknown> = {}): void {
  const body = JSON.stringify({ message, ...members });
  response.writeHead(ERROR_STATUS[type], {
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.sagemaker/`,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** InvokeEndpoint's 413 for an oversized body: a bare status with no modelled error type. */
export function sendPayloadTooLarge(response: ServerResponse, limit: number): void {
  const body = JSON.stringify({ message: `HTTP content length exceeded ${limit} bytes.` });
  response.writeHead(413, { 'x-amzn-requestid': randomUUID(), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** The container answered non-2xx: SageMaker relays it as a 424 ModelError with the original status and body. */
export function sendModelError(response: ServerResponse, endpoint: string, originalStatus: number, originalBody: string): void {
  const kind = originalStatus >= 500 || originalStatus === 0 ? 'server' : 'client';
  sendError(
    response,
    'ModelError',
    `Received ${kind} error (${originalStatus}) from primary with message "${originalBody}". See ${logUrl(endpoint)} in account ${ACCOUNT_ID} for more information.`,
    { OriginalStatusCode: originalStatus, OriginalMessage: originalBody, LogStreamArn: logStreamArn(endpoint) },
  );
}

/** SageMaker's cut of a real-time call whose container did not answer within 60 s. */
export function sendInvocationTimeout(response: ServerResponse, endpoint: string): void {
  const said = 'Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.';
  sendError(response, 'ModelError', `Received server error (0) from primary with message "${said}". See ${logUrl(endpoint)} in account ${ACCOUNT_ID} for more information.`, {
    OriginalStatusCode: 0,
    OriginalMessage: said,
    LogStreamArn: logStreamArn(endpoint),
  });
}

function logStreamArn(endpoint: string): string {
  return `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aws/sagemaker/Endpoints/${endpoint}`;
}

function logUrl(endpoint: string): string {
  return `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEventViewer:group=/aws/sagemaker/Endpoints/${endpoint}`;
}
