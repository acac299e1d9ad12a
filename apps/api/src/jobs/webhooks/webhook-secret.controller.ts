import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, type WebhookSecret } from '@speech/contracts';
import { Caller } from '../../auth/caller.decorator';
import type { Principal } from '../../auth/principal';
import { RequireScope } from '../../auth/route-access';
import { DomainError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { ApiWebhookSecretResponses } from '../../openapi/routes/jobs.docs';
import { webhookSecretFor } from './webhook-secret';

/** Where a receiver's operator gets the secret that signs the webhooks of the calling key's jobs. */
@ApiTags('jobs')
@Controller('api/v1/webhooks')
export class WebhookSecretController {
  constructor(private readonly config: AppConfig) {}

  @Get('secret')
  @RequireScope('transcribe')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The secret that signs webhooks of this key's jobs (the same on every call until WEBHOOK_SECRET changes)." })
  @ApiWebhookSecretResponses()
  secret(@Caller() caller: Principal): WebhookSecret {
    const master = this.config.webhooks.secret;
    if (!master) throw new DomainError('NOT_FOUND', 'Webhooks are off on this server: it has no WEBHOOK_SECRET.');
    return {
      owner_id: caller.ownerId,
      secret: webhookSecretFor(master, caller.ownerId),
      signature_header: WEBHOOK_SIGNATURE_HEADER,
      timestamp_header: WEBHOOK_TIMESTAMP_HEADER,
      scheme: 'v1=hex(HMAC-SHA256(secret, "<timestamp>.<raw body>"))',
    };
  }
}
