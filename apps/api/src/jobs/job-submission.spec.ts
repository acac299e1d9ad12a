import type { TempWorkspace } from '../common/temp-workspace';
import type { RequestWithUpload } from '../upload/audio-upload.interceptor';
import { jobCallOf } from './job-submission';
import { AUTO_VAD } from '../vad/vad-options';

/** Just what jobCallOf reads from an Express request: body, headers, the upload, multer's file and the principal. */
function request(parts: { body?: Record<string, unknown>; headers?: Record<string, string>; originalname?: string; upload?: boolean }): RequestWithUpload {
  return {
    body: parts.body ?? {},
    headers: parts.headers ?? {},
    file: parts.originalname === undefined ? undefined : { originalname: parts.originalname },
    upload: parts.upload === false ? undefined : { path: '/tmp/req-x/upload', size: 42, workspace: {} as TempWorkspace },
    principal: { keyId: 'key_1', ownerId: 'key_1', scopes: new Set(['transcribe']) },
  } as unknown as RequestWithUpload;
}

describe('jobCallOf', () => {
  it('turns an upload with its form fields, Idempotency-Key and caller into a job create call', () => {
    const call = jobCallOf(
      request({
        body: { language: 'de', timestamp_granularities: 'word', callback_url: 'https://hooks.example/x' },
        headers: { 'idempotency-key': 'order-7' },
        originalname: 'Meeting.m4a',
      }),
    );
    expect(call).toEqual({
      request: {
        options: { task: 'transcribe', temperature: 0, wordTimestamps: true, responseFormat: 'json', granularities: ['word'], language: 'de', vad: AUTO_VAD },
        callbackUrl: 'https://hooks.example/x',
      },
      upload: { path: '/tmp/req-x/upload', size: 42, filename: 'Meeting.m4a' },
      idempotencyKey: 'order-7',
      ownerId: 'key_1',
    });
  });

  it('keeps only a printable last path segment of the client file name, at most 255 characters', () => {
    expect(jobCallOf(request({ originalname: 'C:\\Users\\me\\talk.mp3' })).upload.filename).toBe('talk.mp3');
    expect(jobCallOf(request({ originalname: '../../etc/pass\u0000wd\u007f' })).upload.filename).toBe('passwd');
    expect(jobCallOf(request({ originalname: `${'a'.repeat(300)}.wav` })).upload.filename).toHaveLength(255);
    expect(jobCallOf(request({ originalname: '\u0001\u0002' })).upload.filename).toBeNull();
    expect(jobCallOf(request({})).upload.filename).toBeNull();
  });

  it('refuses a request without a file, bad options and a bad Idempotency-Key with stable codes', () => {
    expect(() => jobCallOf(request({ upload: false }))).toThrow(expect.objectContaining({ code: 'MISSING_FILE' }));
    expect(() => jobCallOf(request({ body: { response_format: 'docx' } }))).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => jobCallOf(request({ headers: { 'idempotency-key': 'with space' } }))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', details: { param: 'Idempotency-Key' } }),
    );
  });
});
