import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  type JobWebhookPayload,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookDelivery,
} from '@speech/contracts';
import { isDomainError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { eventTypeFor, JobEventBus } from '../job-event-bus';
import { nextVersion } from '../job-record';
import { toJob } from '../job-view';
import { type JobRecord, JobStore } from '../../storage/job-store.port';
import { CallbackUrlPolicy } from './callback-url-policy';
import { webhookSecretFor } from './webhook-secret';
import { signWebhook } from './webhook-signature';
import { sendWebhook } from './webhook-sender';

const POLL_MS = 500;
/** While the job store is down, rounds are spaced out up to this (one log line per outage). */
const MAX_BACKOFF_MS = 10_000;
/** How long a claimed delivery stays invisible to other instances beyond its own timeout. */
const CLAIM_SLACK_MS = 5000;
/** A due delivery whose receiver already has its share in flight goes behind the others by this much. */
const TARGET_BUSY_DEFER_MS = 1000;

/**
 * Delivers a job's final state to its callback_url: signed with the owner's secret (webhook-secret.ts), retried with
 * exponential back-off, every attempt recorded on the job. What is due lives in the job store (`webhook.dueAt`,
 * written together with the job's ending), so a restart loses no delivery, and a compare-and-set claim keeps two
 * instances from sending it twice.
 *
 * Deliveries are independent: each runs on its own under an absolute deadline (webhook-sender.ts), at most
 * WEBHOOK_CONCURRENCY at once and WEBHOOK_CONCURRENCY_PER_TARGET per receiver; a round never waits for a delivery,
 * so a slow receiver holds only its own slots while the others' deliveries go on.
 */
@Injectable()
export class WebhookDeliverer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookDeliverer');
  private timer?: NodeJS.Timeout;
  private busy?: Promise<void>;
  private stopping = false;
  private failures = 0;
  /** Deliveries in flight, by job id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** In-flight count per receiver origin. */
  private readonly perTarget = new Map<string, number>();

  constructor(
    private readonly store: JobStore,
    private readonly bus: JobEventBus,
    private readonly policy: CallbackUrlPolicy,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.busy;
    // Each is bounded by its deadline.
    await Promise.all(this.inFlight.values());
  }

  private schedule(): void {
    if (this.stopping) return;
    const delay = Math.min(POLL_MS * 2 ** this.failures, MAX_BACKOFF_MS);
    this.timer = setTimeout(() => {
      this.busy = this.deliverDue()
        .then(() => {
          if (this.failures > 0) this.logger.log({ msg: 'webhook rounds work again', failed_rounds: this.failures });
          this.failures = 0;
        })
        .catch((error: unknown) => {
          if (this.failures === 0) this.logger.error({ msg: 'webhook round failed; backing off', error: (error as Error).message });
          this.failures = Math.min(this.failures + 1, 10);
        })
        .finally(() => this.schedule());
    }, delay * (0.75 + Math.random() * 0.5));
  }

  /** Starts the due deliveries there is room for, without waiting for them. */
  async deliverDue(): Promise<void> {
    const { webhookConcurrency, webhookConcurrencyPerTarget } = this.config.fairShare;
    const room = webhookConcurrency - this.inFlight.size;
    if (room <= 0) return;
    const now = Date.now();
    const limit = Math.max(room * 2, 10);
    // Tidying the store's due bookkeeping is a write of its own; the look at what is due only reads.
    await this.store.sweepWebhooksDue(now, limit);
    const due = await this.store.listWebhooksDue(now, limit);
    for (const record of due) {
      if (this.stopping || this.inFlight.size >= webhookConcurrency) break;
      if (this.inFlight.has(record.id)) continue;
      const target = targetOf(record.callbackUrl);
      if ((this.perTarget.get(target) ?? 0) >= webhookConcurrencyPerTarget) {
        // Its receiver is busy: move it behind the others, so a slow receiver's backlog cannot fill every round.
        await this.defer(record);
        continue;
      }
      this.start(record, target);
    }
  }

  /** Resolves when every delivery started so far has ended (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private start(record: JobRecord, target: string): void {
    this.perTarget.set(target, (this.perTarget.get(target) ?? 0) + 1);
    const run = this.deliver(record)
      .catch((error: unknown) => this.logger.error({ msg: 'webhook delivery failed unexpectedly', job_id: record.id, error: (error as Error).message }))
      .finally(() => {
        this.inFlight.delete(record.id);
        const left = (this.perTarget.get(target) ?? 1) - 1;
        if (left > 0) this.perTarget.set(target, left);
        else this.perTarget.delete(target);
      });
    this.inFlight.set(record.id, run);
  }

  private async defer(record: JobRecord): Promise<void> {
    const later = nextVersion(record, { webhook: { ...record.webhook, dueAt: Date.now() + TARGET_BUSY_DEFER_MS } }, Date.now());
    await this.store.replace(later, record.version);
  }

  private async deliver(candidate: JobRecord): Promise<void> {
    const { timeoutSeconds, maxAttempts, backoffSeconds } = this.config.webhooks;
    const claimedUntil = Date.now() + timeoutSeconds * 1000 + CLAIM_SLACK_MS;
    const claimed = nextVersion(candidate, { webhook: { ...candidate.webhook, dueAt: claimedUntil } }, Date.now());
    if (!(await this.store.replace(claimed, candidate.version))) return; // another instance has it
    const attempt = candidate.webhook.deliveries.filter((d) => Date.parse(d.at) >= (candidate.finishedAt ?? 0)).length + 1;
    const delivery = await this.attempt(claimed, attempt);
    const more = !delivery.ok && attempt < maxAttempts;
    const finished = nextVersion(
      claimed,
      {
        webhook: {
          deliveries: [...claimed.webhook.deliveries, delivery],
          dueAt: more ? Date.now() + backoffSeconds * 1000 * 2 ** (attempt - 1) : null,
        },
      },
      Date.now(),
    );
    if (await this.store.replace(finished, claimed.version)) this.bus.publish('job.updated', finished);
    const log = { msg: 'webhook delivery', job_id: candidate.id, attempt, status_code: delivery.status_code, ok: delivery.ok, retry: more };
    if (delivery.ok) this.logger.log(log);
    else this.logger.warn({ ...log, error: delivery.error });
  }

  private async attempt(record: JobRecord, attempt: number): Promise<WebhookDelivery> {
    const at = new Date().toISOString();
    const event = record.status;
    const master = this.config.webhooks.secret;
    if (!record.callbackUrl || !master) {
      return { at, status_code: null, ok: false, attempt, event, error: 'webhooks are not configured (WEBHOOK_SECRET)' };
    }
    try {
      const target = await this.policy.check(record.callbackUrl);
      const payload: JobWebhookPayload = {
        type: eventTypeFor(record) as JobWebhookPayload['type'],
        at,
        job: toJob({ ...record, webhook: { ...record.webhook, dueAt: null } }),
      };
      const body = JSON.stringify(payload);
      const timestamp = Math.floor(Date.now() / 1000);
      const outcome = await sendWebhook(
        target,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'speech-platform-webhooks/1',
          [WEBHOOK_ID_HEADER]: `${record.id}.${record.finishedAt ?? 0}`,
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(webhookSecretFor(master, record.ownerId), timestamp, body),
        },
        this.config.webhooks.timeoutSeconds * 1000,
      );
      const ok = outcome.error === undefined && outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
      return {
        at,
        status_code: outcome.statusCode,
        ok,
        attempt,
        event,
        ...(ok ? {} : { error: outcome.error ?? `the receiver answered ${outcome.statusCode}` }),
      };
    } catch (error) {
      return { at, status_code: null, ok: false, attempt, event, error: isDomainError(error) ? error.message : String(error) };
    }
  }
}

/** The receiver a delivery goes to (scheme://host:port), for the per-target limit; unparsable URLs share one bucket. */
function targetOf(callbackUrl: string | null): string {
  try {
    return callbackUrl ? new URL(callbackUrl).origin : '';
  } catch {
    return '';
  }
}
