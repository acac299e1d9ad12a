import { apiClientDrift } from './api-client-drift';
import { type OpenApiDocument, renderApiClient } from './render-api-client';

const live: OpenApiDocument = {
  openapi: '3.0.0',
  paths: {
    '/api/v1/jobs/{id}': {
      get: {
        operationId: 'JobsController_get',
        summary: 'One job.',
        security: [{ bearer: [] }],
        responses: {
          '200': { description: 'The job.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } },
          '404': { description: 'JOB_NOT_FOUND', content: { 'application/problem+json': { schema: { type: 'object', properties: { code: { enum: ['JOB_NOT_FOUND'] } } } } } },
        },
      },
    },
  },
  components: { schemas: { Job: { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'The id.' } } } } },
};

const committedFrom = (document: OpenApiDocument) => ({ spec: `${JSON.stringify(document, null, 2)}\n`, client: renderApiClient(document) });
const edited = (edit: (document: OpenApiDocument) => void): OpenApiDocument => {
  const copy = JSON.parse(JSON.stringify(live)) as OpenApiDocument;
  edit(copy);
  return copy;
};
interface LooseOperation {
  summary?: string;
  security?: unknown;
  responses: Record<string, { content: Record<string, { schema: { properties: { code: { enum: string[] } } } }> }>;
}
const get = (document: OpenApiDocument) => document.paths['/api/v1/jobs/{id}']['get'] as LooseOperation;

describe('apiClientDrift (the check in npm test)', () => {
  it('passes when the committed files were generated from this document', () => {
    expect(apiClientDrift(committedFrom(live), live)).toEqual({ stale: [], reworded: false });
  });

  it('fails when a documented error code changes, though the generated TypeScript does not', () => {
    const changed = edited((document) => {
      get(document).responses['404']?.content['application/problem+json']?.schema.properties.code.enum.push('STORAGE_UNAVAILABLE');
    });
    expect(renderApiClient(changed)).toBe(renderApiClient(live));
    expect(apiClientDrift(committedFrom(live), changed).stale).toEqual([
      'openapi.json /paths//api/v1/jobs/{id}/get/responses/404/content/application/problem+json/schema/properties/code/enum/1',
    ]);
  });

  it('fails when a route loses its security requirement or a schema gains a field', () => {
    const open = edited((document) => delete get(document).security);
    expect(apiClientDrift(committedFrom(live), open).stale).toEqual(['openapi.json /paths//api/v1/jobs/{id}/get/security']);
    const wider = edited((document) => {
      const job = document.components?.schemas?.['Job'];
      if (job?.properties) job.properties['note'] = { type: 'string' };
    });
    expect(apiClientDrift(committedFrom(live), wider).stale).toEqual(['openapi.json /components/schemas/Job/properties/note', 'api.generated.ts']);
  });

  it('only reports reworded descriptions and summaries', () => {
    const reworded = edited((document) => {
      get(document).summary = 'A job.';
      const id = document.components?.schemas?.['Job']?.properties?.['id'];
      if (id) id.description = 'Its id.';
    });
    expect(apiClientDrift(committedFrom(live), reworded)).toEqual({ stale: [], reworded: true });
  });

  it('fails when the committed document is missing', () => {
    expect(apiClientDrift({ spec: undefined, client: renderApiClient(live) }, live).stale).toEqual(['openapi.json is missing or not JSON']);
  });
});
