import { ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** Success answers that are not one JSON class: several media types, plain text, event streams. */

type SchemaClass = abstract new (...args: never[]) => unknown;

export function ref(model: SchemaClass): { $ref: string } {
  return { $ref: getSchemaPath(model as unknown as string | (new () => unknown)) };
}

/** JSON of one of several classes (which one depends on the request, e.g. `response_format`). */
export function oneOf(...models: SchemaClass[]): Record<string, unknown> {
  return models.length === 1 ? ref(models[0] as SchemaClass) : { oneOf: models.map(ref) };
}

const TEXT = { type: 'string' } as const;

/** A transcript answer: JSON in the given shapes, or text/subtitles as the request asked. */
export function transcriptContent(json: Record<string, unknown>, subtitleTypes: boolean): Record<string, { schema: Record<string, unknown> }> {
  return {
    'application/json': { schema: json },
    'text/plain': { schema: { ...TEXT, description: 'response_format=text (and srt/vtt on the /v1 routes, as OpenAI answers).' } },
    ...(subtitleTypes
      ? {
          'application/x-subrip': { schema: { ...TEXT, description: 'response_format=srt' } },
          'text/vtt': { schema: { ...TEXT, description: 'response_format=vtt' } },
        }
      : {}),
  };
}

/** 200 text/event-stream of JobEvent. */
export function ApiJobEventStream(description: string): MethodDecorator & ClassDecorator {
  return ApiResponse({
    status: 200,
    description,
    content: {
      'text/event-stream': {
        schema: { ...TEXT, description: 'Server-sent events: `id: <seq>`, `event: job`, `data: <JobEvent as JSON>` (see the JobEvent schema); `: keep-alive` comments in between.' },
      },
    },
  });
}
