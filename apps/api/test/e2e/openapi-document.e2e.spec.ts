import { ERROR_CODES, type ErrorCode } from '@speech/contracts';
import { type ApiProcess, startApi } from './support/api-process';
import { type OpenApiDocument, type Operation, operations, type Schema } from './support/openapi-schemas';

/**
 * The OpenAPI document of the built API is complete: every operation documents its success answer, its error
 * answers in the right shape with codes that belong to their status, and its auth. Auth is checked against the
 * server itself: with API_KEYS_REQUIRED=true every operation is called without a key, and exactly those that answer
 * 401 must carry the security requirement.
 */
describe('OpenAPI document (built API, keys required)', () => {
  let api: ApiProcess;
  let document: OpenApiDocument;

  beforeAll(async () => {
    api = await startApi({ API_KEYS_REQUIRED: 'true', JOB_WORKERS: '0' });
    document = (await (await fetch(`${api.url}/api/docs/openapi.json`)).json()) as OpenApiDocument;
  }, 120_000);

  afterAll(async () => api?.stop());

  const all = () => operations(document);
  const isOpenAi = (path: string) => path.startsWith('/v1/');
  const errorStatuses = (operation: Operation) => Object.keys(operation.responses).filter((status) => /^[45]\d\d$/.test(status));

  it('documents every route the API serves (the console and the OpenAI SDK routes included)', () => {
    const keys = all().map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(keys).toEqual(
      expect.arrayContaining(['POST /transcribe', 'POST /v1/audio/transcriptions', 'POST /api/v1/jobs', 'GET /api/v1/jobs/{id}', 'GET /status', 'GET /health']),
    );
    expect(keys.length).toBeGreaterThanOrEqual(18);
  });

  it('gives every operation a 2xx answer with a schema for each media type (or a 204)', () => {
    const missing = all().flatMap(({ method, path, operation }) => {
      const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) return [`${method} ${path}: no 2xx answer`];
      return success.flatMap(([status, response]) => {
        if (status === '204') return [];
        const media = Object.entries(response.content ?? {});
        if (media.length === 0) return [`${method} ${path} ${status}: no content`];
        return media.filter(([, { schema }]) => !schema).map(([type]) => `${method} ${path} ${status} ${type}: no schema`);
      });
    });
    expect(missing).toEqual([]);
  });

  it('documents error answers in the route family’s shape, with codes that belong to their status', () => {
    const wrong = all().flatMap(({ method, path, operation }) => {
      const statuses = errorStatuses(operation);
      if (statuses.length === 0) return [`${method} ${path}: no error answers`];
      return statuses.flatMap((status) => {
        const content = operation.responses[status]?.content ?? {};
        const mediaType = isOpenAi(path) ? 'application/json' : 'application/problem+json';
        const schema = content[mediaType]?.schema;
        if (!schema || Object.keys(content).length !== 1) return [`${method} ${path} ${status}: not only ${mediaType}`];
        const [base, narrowed] = (schema['allOf'] as Schema[] | undefined) ?? [];
        const expectedBase = isOpenAi(path) ? '#/components/schemas/OpenAiError' : '#/components/schemas/ProblemDetails';
        if (base?.['$ref'] !== expectedBase) return [`${method} ${path} ${status}: not ${expectedBase}`];
        const codes = codeEnum(narrowed, isOpenAi(path));
        if (codes.length === 0) return [`${method} ${path} ${status}: names no codes`];
        return codes.filter((code) => ERROR_CODES[code]?.status !== Number(status)).map((code) => `${method} ${path} ${status}: ${code} is not a ${status}`);
      });
    });
    expect(wrong).toEqual([]);
  });

  it('documents the 500 answer everywhere and the limits every route but the liveness probe meets', () => {
    for (const { method, path, operation } of all()) {
      expect([`${method} ${path}`, operation.responses['500']]).toEqual([`${method} ${path}`, expect.anything()]);
      if (path !== '/health/live') expect([`${method} ${path}`, operation.responses['429']]).toEqual([`${method} ${path}`, expect.anything()]);
    }
  });

  it('declares both key schemes, and the security requirement on exactly the operations that refuse a call without a key', async () => {
    expect(Object.keys(document.components.securitySchemes ?? {}).sort()).toEqual(['bearer', 'x-api-key']);
    const disagreements: string[] = [];
    for (const { method, path, operation } of all()) {
      const response = await fetch(`${api.url}${concrete(path)}`, { method: method.toUpperCase() });
      await response.body?.cancel();
      const refused = response.status === 401;
      const secured = (operation.security ?? []).some((requirement) => 'bearer' in requirement);
      if (refused !== secured) disagreements.push(`${method} ${path}: answered ${response.status} without a key, security ${JSON.stringify(operation.security)}`);
      if (secured && !operation.responses['401']) disagreements.push(`${method} ${path}: secured but 401 is not documented`);
    }
    expect(disagreements).toEqual([]);
    const open = all().filter(({ operation }) => !operation.security).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(open.sort()).toEqual(['GET /health', 'GET /health/live']);
  });

  it('names every upload field of the multipart routes, the audio as binary', () => {
    for (const { method, path, operation } of all().filter(({ operation }) => operation.requestBody)) {
      const form = operation.requestBody?.content?.['multipart/form-data']?.schema;
      const target = document.components.schemas[String(form?.['$ref']).split('/').pop() ?? ''];
      expect([`${method} ${path}`, target?.['properties']]).toEqual([`${method} ${path}`, expect.objectContaining({ file: expect.objectContaining({ format: 'binary' }) })]);
      expect(target?.['required']).toEqual(['file']);
    }
  });
});

/** The codes an error answer names: `code` (problem+json) or `error.code` (OpenAI). */
function codeEnum(narrowed: Schema | undefined, openAi: boolean): ErrorCode[] {
  const properties = narrowed?.['properties'] as Record<string, Schema> | undefined;
  const holder = openAi ? ((properties?.['error'] as Schema | undefined)?.['properties'] as Record<string, Schema> | undefined) : properties;
  return ((holder?.['code']?.['enum'] as ErrorCode[] | undefined) ?? []).slice();
}

/** A path template with its parameters filled: a job id that does not exist, a real transcript file name. */
function concrete(path: string): string {
  return path.replace('{file}', 'transcript.json').replace(/\{\w+\}/g, 'no-such-job');
}
