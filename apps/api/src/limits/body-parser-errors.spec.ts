import express from 'express';
import type { AddressInfo } from 'node:net';
import { DomainError } from '../common/domain-error';
import { bodyParserErrorMapper } from './body-parser-errors';

/** body-parser's real errors, through the real mapper: what reaches the error filter for each kind of bad body. */
describe('bodyParserErrorMapper', () => {
  let url = '';
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let seen: unknown;

  beforeAll(async () => {
    const app = express();
    app.use(express.json({ limit: 1024 }));
    app.use(express.urlencoded({ limit: 1024, extended: false, parameterLimit: 5 }));
    app.use(bodyParserErrorMapper);
    app.use((_request: express.Request, response: express.Response) => void response.json({ ok: true }));
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- Express tells error handlers by their four parameters
    app.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
      seen = error;
      response.status(error instanceof DomainError ? error.status : 500).end();
    });
    await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = async (body: string, headers: Record<string, string>) => {
    seen = undefined;
    const response = await fetch(url, { method: 'POST', body, headers });
    return { status: response.status, error: seen as DomainError | undefined, connection: response.headers.get('connection') };
  };

  it.each([
    ['an oversize JSON body', 'PAYLOAD_TOO_LARGE', 'x'.repeat(2000), 'application/json', 413, /larger than the limit of 1024 bytes/],
    ['malformed JSON', 'INVALID_OPTION', '{"language": ', 'application/json', 400, /not valid JSON/],
    ['a charset other than UTF-8', 'INVALID_OPTION', '{}', 'application/json; charset=latin1', 400, /charset "latin1"/],
    ['too many form parameters', 'PAYLOAD_TOO_LARGE', 'a=1&b=2&c=3&d=4&e=5&f=6', 'application/x-www-form-urlencoded', 413, /too many parameters/],
  ])('%s → %s', async (_name, code, body, type, status, message) => {
    const result = await post(body, { 'content-type': type });
    expect(result.status).toBe(status);
    expect(result.error).toBeInstanceOf(DomainError);
    expect(result.error).toMatchObject({ code });
    expect(result.error?.message).toMatch(message);
  });

  it('refuses an unknown Content-Encoding with a stable code', async () => {
    const result = await post('{}', { 'content-type': 'application/json', 'content-encoding': 'zstd-ish' });
    expect(result).toMatchObject({ status: 400, error: { code: 'INVALID_OPTION', details: { param: 'content-encoding' } } });
  });

  it('closes the connection after refusing an oversize body instead of draining it', async () => {
    expect((await post('x'.repeat(5000), { 'content-type': 'application/json' })).connection).toBe('close');
  });

  it('passes good bodies and other errors through untouched', async () => {
    expect(await post('{"a":1}', { 'content-type': 'application/json' })).toMatchObject({ status: 200, error: undefined });
  });
});
