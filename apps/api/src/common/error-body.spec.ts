import { openAiErrorBody, problemBody } from './error-body';

describe('error bodies', () => {
  const error = { code: 'UNSUPPORTED_MEDIA' as const, message: 'Not audio.', details: { accepted: ['mp3'] } };

  it('builds RFC 7807 problem details with code, request id and extensions', () => {
    expect(problemBody(error, 'req-1')).toEqual({
      type: 'urn:speech-platform:error:UNSUPPORTED_MEDIA',
      title: 'The file is not in a supported audio format.',
      status: 415,
      code: 'UNSUPPORTED_MEDIA',
      detail: 'Not audio.',
      request_id: 'req-1',
      accepted: ['mp3'],
    });
  });

  it('keeps the standard members when an extension has the same name', () => {
    const clash = { code: 'JOB_NOT_CANCELLABLE' as const, message: 'Ended.', details: { status: 'succeeded', code: 'X', limit: 3 } };
    expect(problemBody(clash, undefined)).toMatchObject({ status: 409, code: 'JOB_NOT_CANCELLABLE', limit: 3 });
  });

  it("builds OpenAI's envelope with the error type the SDK maps to an exception class", () => {
    expect(openAiErrorBody(error)).toEqual({ error: { message: 'Not audio.', type: 'invalid_request_error', param: null, code: 'UNSUPPORTED_MEDIA' } });
    expect(openAiErrorBody({ code: 'ENGINE_TIMEOUT', message: 'late', details: {} }).error.type).toBe('server_error');
    expect(openAiErrorBody({ code: 'INVALID_OPTION', message: 'bad', details: { param: 'language' } }).error.param).toBe('language');
  });
});
