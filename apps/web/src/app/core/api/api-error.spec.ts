import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { toApiFailure } from './api-error';

describe('toApiFailure', () => {
  it('reads problem+json: code, detail and request id', () => {
    const error = new HttpErrorResponse({
      status: 415,
      error: { type: 'x', title: 't', status: 415, code: 'UNSUPPORTED_MEDIA', detail: 'Accepted: mp3, wav.', request_id: 'r-1' },
    });
    expect(toApiFailure(error)).toEqual({ code: 'UNSUPPORTED_MEDIA', status: 415, detail: 'Accepted: mp3, wav.', requestId: 'r-1' });
  });

  it('parses a body that arrived as text (downloads ask for text)', () => {
    const error = new HttpErrorResponse({ status: 409, error: JSON.stringify({ code: 'JOB_NOT_FINISHED', detail: 'Wait.' }) });
    expect(toApiFailure(error)).toMatchObject({ code: 'JOB_NOT_FINISHED', detail: 'Wait.' });
  });

  it("reads OpenAI's error envelope", () => {
    const error = new HttpErrorResponse({ status: 401, error: { error: { code: 'UNAUTHORIZED', message: 'Bad key.' } } });
    expect(toApiFailure(error)).toMatchObject({ code: 'UNAUTHORIZED', detail: 'Bad key.' });
  });

  it('keeps unknown codes out, and takes the request id from the header', () => {
    const error = new HttpErrorResponse({
      status: 502,
      error: '<html>Bad gateway</html>',
      headers: new HttpHeaders({ 'X-Request-Id': 'h-9' }),
    });
    expect(toApiFailure(error)).toEqual({ code: undefined, status: 502, detail: undefined, requestId: 'h-9' });
  });

  it('reports an unreachable API as status 0', () => {
    expect(toApiFailure(new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') }))).toMatchObject({ status: 0, code: undefined });
  });
});
