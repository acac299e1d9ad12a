import { ModelError, ModelNotReadyException, ServiceUnavailable, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { DomainError } from '../../common/domain-error';
import { asyncFailureError, DEFAULT_BUSY_RETRY_SECONDS, sageMakerError } from './sagemaker-errors';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const problem = (code: string, status: number, detail: string) => JSON.stringify({ type: `urn:speech-platform:error:${code}`, title: code, status, code, detail, request_id: 'r1' });

/** The SDK's own exception classes, built as its deserializer builds them, mapped to our stable codes. */
describe('sageMakerError', () => {
  it("passes the container's code through a ModelError", () => {
    const error = new ModelError({ ...meta(424), message: 'Received client error (400) from primary…', OriginalStatusCode: 400, OriginalMessage: problem('INVALID_OPTION', 400, "language 'zz' is not supported") });
    expect(sageMakerError(error)).toMatchObject({ code: 'INVALID_OPTION', message: "language 'zz' is not supported" });
  });

  it('turns a container failure relayed as ModelError into ENGINE_FAILED with its detail', () => {
    const error = new ModelError({ ...meta(424), message: 'Received server error (502)…', OriginalStatusCode: 502, OriginalMessage: problem('ENGINE_FAILED', 502, 'the model raised') });
    expect(sageMakerError(error)).toMatchObject({ code: 'ENGINE_FAILED', message: expect.stringContaining('the model raised') });
  });

  it("maps SageMaker's 60 s real-time cut to ENGINE_TIMEOUT", () => {
    const said = 'Your invocation timed out while waiting for a response from container primary.';
    expect(sageMakerError(new ModelError({ ...meta(424), message: `Received server error (0) from primary with message "${said}"`, OriginalStatusCode: 0, OriginalMessage: said })).code).toBe('ENGINE_TIMEOUT');
  });

  it('keeps a non-problem container answer readable', () => {
    const error = new ModelError({ ...meta(424), message: 'x', OriginalStatusCode: 500, OriginalMessage: 'Traceback (most recent call last):\n  boom' });
    expect(sageMakerError(error)).toMatchObject({ code: 'ENGINE_FAILED', message: 'The model container answered 500: Traceback (most recent call last):.' });
  });

  it('maps not-ready to MODEL_UNAVAILABLE and throttling / service unavailability to ENGINE_BUSY with Retry-After', () => {
    expect(sageMakerError(new ModelNotReadyException({ ...meta(429), message: 'not ready' })).code).toBe('MODEL_UNAVAILABLE');
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', ...meta(400) });
    expect(sageMakerError(throttled)).toMatchObject({ code: 'ENGINE_BUSY', retryAfterSeconds: DEFAULT_BUSY_RETRY_SECONDS });
    const named = Object.assign(new Error('Slow down'), { name: 'ThrottlingException', ...meta(400), $response: { headers: { 'retry-after': '12' } } });
    expect(sageMakerError(named).retryAfterSeconds).toBe(12);
    expect(sageMakerError(new ServiceUnavailable({ ...meta(503), message: 'unavailable' })).code).toBe('ENGINE_BUSY');
  });

  it('maps validation errors by what they are about', () => {
    expect(sageMakerError(Object.assign(new Error('HTTP content length exceeded 6291456 bytes.'), { name: 'Unknown', ...meta(413) })).code).toBe('FILE_TOO_LARGE');
    expect(sageMakerError(new ValidationError({ ...meta(400), message: 'Request abc has oversize body.' })).code).toBe('FILE_TOO_LARGE');
    expect(sageMakerError(new ValidationError({ ...meta(400), message: 'Endpoint whisper of account 1 not found.' })).code).toBe('MODEL_UNAVAILABLE');
    expect(sageMakerError(new ValidationError({ ...meta(400), message: 'CustomAttributes is longer than 1024 characters' })).code).toBe('INVALID_OPTION');
    expect(sageMakerError(new ValidationError({ ...meta(400), message: 'Endpoint x is an asynchronous inference endpoint' })).code).toBe('ENGINE_FAILED');
  });

  it('explains credentials, network and timeouts, and keeps DomainErrors as they are', () => {
    expect(sageMakerError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })).message).toMatch(/credentials.*IAM role/);
    expect(sageMakerError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ code: 'ENGINE_FAILED', message: 'SageMaker could not be reached (ECONNREFUSED).' });
    expect(sageMakerError(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })).code).toBe('ENGINE_TIMEOUT');
    const own = new DomainError('FILE_TOO_LARGE');
    expect(sageMakerError(own)).toBe(own);
    expect(sageMakerError(new Error('odd'))).toMatchObject({ code: 'ENGINE_FAILED', message: 'SageMaker failed: Error: odd' });
  });
});

describe('asyncFailureError', () => {
  it("passes the container's problem+json code through and keeps the rest stable", () => {
    expect(asyncFailureError(problem('AUDIO_TOO_LONG', 422, 'over 4 h')).code).toBe('AUDIO_TOO_LONG');
    expect(asyncFailureError(problem('INTERNAL_ERROR', 500, 'oops')).code).toBe('ENGINE_FAILED');
    expect(asyncFailureError('Inference timed out after 60 seconds.').code).toBe('ENGINE_TIMEOUT');
    expect(asyncFailureError('Failed to download the input: NoSuchKey')).toMatchObject({ code: 'ENGINE_FAILED', message: 'The async inference failed: Failed to download the input: NoSuchKey' });
  });
});
