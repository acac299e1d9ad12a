import Ajv, { type ValidateFunction } from 'ajv';

/** The parts of an OpenAPI 3.0 document the OpenAPI e2e tests read. */
export interface Schema {
  [keyword: string]: unknown;
}
export interface MediaType {
  schema?: Schema;
}
export interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}
export interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, Schema> };
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function operations(document: OpenApiDocument): Array<{ method: string; path: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => ({ method, path, operation: item[method] as Operation })),
  );
}

/**
 * Validates real answers against the document. OpenAPI 3.0 schemas become JSON Schema (`nullable` → `null` allowed,
 * `$ref`s into the document), and every component object that does not declare `additionalProperties` is closed:
 * a member the API sends but the document does not name fails, as a missing required one does.
 */
export class ResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    const components: Record<string, Schema> = {};
    for (const [name, schema] of Object.entries(document.components.schemas)) components[name] = closed(toJsonSchema(schema));
    this.ajv.addSchema({ $id: 'openapi', components: { schemas: components } });
  }

  /** The documented schema for this answer, or a reason why there is none. */
  schemaFor(method: string, path: string, status: number, contentType: string): Schema | string {
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    if (!operation) return `${method} ${path} is not in the document`;
    const response = operation.responses[String(status)];
    if (!response) return `${method} ${path} answered ${status}, which the document does not list (${Object.keys(operation.responses).join(', ')})`;
    const mediaType = contentType.split(';')[0]?.trim() ?? '';
    const media = response.content?.[mediaType];
    if (!media?.schema) return `${method} ${path} ${status} answered ${mediaType}, which the document does not describe`;
    return media.schema;
  }

  /** Errors of `body` against the documented answer; [] when it conforms. */
  errors(method: string, path: string, status: number, contentType: string, body: unknown): string[] {
    const schema = this.schemaFor(method, path, status, contentType);
    if (typeof schema === 'string') return [schema];
    const key = `${method} ${path} ${status} ${contentType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema));
      this.compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${key}: ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  }
}

function toJsonSchema(value: unknown): Schema {
  return convert(value) as Schema;
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (typeof value !== 'object' || value === null) return value;
  const out: Schema = {};
  for (const [key, member] of Object.entries(value)) {
    if (key === '$ref' && typeof member === 'string') out[key] = member.replace('#/components/', 'openapi#/components/');
    else if (key === 'example' || key === 'nullable') continue;
    else out[key] = convert(member);
  }
  if ((value as Schema)['nullable'] === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

function closed(schema: Schema): Schema {
  if (schema['anyOf']) return { ...schema, anyOf: (schema['anyOf'] as Schema[]).map(closed) };
  if (schema['properties'] && schema['additionalProperties'] === undefined) return { ...schema, additionalProperties: false };
  return schema;
}
