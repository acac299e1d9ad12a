import { type OpenApiDocument, renderApiClient } from './render-api-client';

const document: OpenApiDocument = {
  openapi: '3.0.0',
  paths: {
    '/api/v1/jobs/{id}': {
      get: {
        operationId: 'JobsController_get',
        summary: 'One job.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } } },
      },
      delete: { operationId: 'JobsController_cancel', responses: { '204': { description: '' } } },
    },
    '/api/v1/jobs': {
      get: {
        operationId: 'JobsController_list',
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['queued', 'failed'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer' } },
        ],
        responses: { '200': { description: '' } },
      },
      post: {
        operationId: 'JobsController_create',
        requestBody: { content: { 'multipart/form-data': { schema: { $ref: '#/components/schemas/CreateJobForm' } } } },
        responses: { '202': { description: '' } },
      },
    },
  },
  components: {
    schemas: {
      Job: {
        type: 'object',
        required: ['id', 'eta_seconds'],
        properties: { id: { type: 'string' }, eta_seconds: { type: 'number', nullable: true }, tags: { type: 'array', items: { type: 'string' } } },
      },
      Problem: { type: 'object', required: ['code'], properties: { code: { type: 'string' } }, additionalProperties: true },
      CreateJobForm: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary', description: 'The audio.' }, 'timestamp_granularities[]': { type: 'array', items: { enum: ['word'] } } },
      },
    },
  },
};

describe('renderApiClient', () => {
  const output = renderApiClient(document);

  it('turns component schemas into types: required, nullable, arrays, binary fields, odd names', () => {
    expect(output).toContain('export type Job = {\n  id: string;\n  eta_seconds: number | null;\n  tags?: Array<string>;\n};');
    expect(output).toContain('  /** The audio. */\n  file: Blob;');
    expect(output).toContain("  'timestamp_granularities[]'?: Array<'word'>;");
    expect(output).toContain('export type Problem = {\n  code: string;\n  [key: string]: unknown;\n};');
  });

  it('lists every route by method and path, sorted, with its operation id and body type', () => {
    const routes = output.slice(output.indexOf('export const API_ROUTES'), output.indexOf('} as const;'));
    expect(routes.match(/^ {2}'[A-Z]+ [^']+'/gm)).toEqual([
      "  'GET /api/v1/jobs'",
      "  'POST /api/v1/jobs'",
      "  'GET /api/v1/jobs/{id}'",
      "  'DELETE /api/v1/jobs/{id}'",
    ]);
    expect(output).toContain(
      "'POST /api/v1/jobs': { method: 'POST', path: '/api/v1/jobs', operationId: 'JobsController_create', body: 'multipart/form-data' },",
    );
    expect(output).toContain("  /** One job. */\n  'GET /api/v1/jobs/{id}'");
  });

  it('types path and query parameters, request bodies and JSON answers per route', () => {
    expect(output).toContain("'GET /api/v1/jobs/{id}': { id: string };");
    expect(output).toContain("'GET /api/v1/jobs': { status?: 'queued' | 'failed'; limit?: number };");
    expect(output).toContain("'POST /api/v1/jobs': CreateJobForm;");
    expect(output).toContain("'GET /api/v1/jobs/{id}': Job;");
    expect(output).toContain("'DELETE /api/v1/jobs/{id}': unknown;");
  });

  it('is deterministic', () => {
    expect(renderApiClient(JSON.parse(JSON.stringify(document)) as OpenApiDocument)).toBe(output);
  });
});
