import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode, type OpenAIErrorBody, type ProblemDetails } from '@speech/contracts';

/** Every stable error code, from the one table in libs/contracts: a new code appears here without an edit. */
export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];

/** RFC 7807 body of every native route's error (`application/problem+json`). */
@ApiSchema({ name: 'ProblemDetails', description: 'RFC 7807 error of the native routes; code-specific facts (limit_seconds, param, …) ride along as extra members.' })
export class ProblemDetailsSchema implements ProblemDetails {
  [extension: string]: unknown;

  @ApiProperty({ example: 'urn:speech-platform:error:UNSUPPORTED_MEDIA', description: '`urn:speech-platform:error:<code>`.' })
  type!: string;

  @ApiProperty({ description: "The code's fixed English title." })
  title!: string;

  @ApiProperty({ type: 'integer', description: 'The HTTP status, repeated.' })
  status!: number;

  @ApiProperty({ enum: ALL_ERROR_CODES, enumName: 'ErrorCode', description: 'Stable: clients branch on it.' })
  code!: ErrorCode;

  @ApiProperty({ description: 'What went wrong with this request, for people (may change).' })
  detail!: string;

  @ApiPropertyOptional({ description: 'The X-Request-Id of this request.' })
  request_id?: string;
}

@ApiSchema({ name: 'OpenAiErrorDetail' })
class OpenAiErrorDetailSchema {
  @ApiProperty()
  message!: string;

  @ApiProperty({
    enum: ['invalid_request_error', 'authentication_error', 'permission_error', 'rate_limit_error', 'server_error'],
    description: "OpenAI's error class: the SDKs raise the matching exception.",
  })
  type!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The form field at fault, when one is.' })
  param!: string | null;

  @ApiProperty({ enum: ALL_ERROR_CODES, enumName: 'ErrorCode' })
  code!: ErrorCode;
}

/** OpenAI's error envelope, the error body of the `/v1` routes. */
@ApiSchema({ name: 'OpenAiError', description: "OpenAI's error envelope (the /v1 routes), so the official SDKs raise the right exception." })
export class OpenAiErrorSchema implements OpenAIErrorBody {
  @ApiProperty({ type: OpenAiErrorDetailSchema })
  error!: OpenAiErrorDetailSchema;
}

export const ERROR_SCHEMAS = [ProblemDetailsSchema, OpenAiErrorDetailSchema, OpenAiErrorSchema];
