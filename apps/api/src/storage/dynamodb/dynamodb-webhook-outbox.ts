import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { JobRecord } from '../job-store.port';
import type { JobsTableClient } from './dynamodb-client';
import { isoKey, outboxItem, WEBHOOK_DUE_STATUS, WEBHOOK_OUTBOX_PREFIX } from './dynamodb-items';
import { getJob } from './dynamodb-job-queries';
import { JOBS_TABLE } from './dynamodb-table';

/**
 * The webhook outbox: one item per job with a pending delivery, in the status index under WEBHOOK_DUE_STATUS and
 * sorted by due time, so "what is due" is one Query. It is written before the job (intent first) and without a
 * transaction, so an entry can go stale: its job gone or delivered, or its job's due time moved (a writer that lost
 * the compare-and-set, a process that died between the two writes). The due list skips stale entries and never
 * writes; `sweepWebhookOutbox` is the one step that drops or re-files them.
 */

/** The due list looks at most this many entries per delivery it may return, stale ones included. */
const SCAN_PER_DELIVERY = 4;

interface OutboxEntry {
  readonly id: string;
  readonly jobId: string;
  /** The due time the entry is filed under (ISO key). */
  readonly dueKey: string;
}

type EntryState =
  | { readonly kind: 'due'; readonly record: JobRecord }
  /** The job is gone or has nothing to deliver. */
  | { readonly kind: 'orphan' }
  /** The job's delivery is due later than the entry says. */
  | { readonly kind: 'later'; readonly record: JobRecord; readonly dueAt: number };

/** Files (or re-files) the job's pending delivery under its due time. */
export async function fileWebhookDue(t: JobsTableClient, record: JobRecord, dueAt: number): Promise<void> {
  await t.client.send(new PutCommand({ TableName: t.table, Item: outboxItem(record, dueAt) }));
}

export async function dropWebhookDue(t: JobsTableClient, jobId: string): Promise<void> {
  await t.client.send(new DeleteCommand({ TableName: t.table, Key: { id: `${WEBHOOK_OUTBOX_PREFIX}${jobId}` } }));
}

/** Jobs whose delivery is due at or before `now`, oldest due first. A pure read: stale entries are passed over. */
export async function listWebhooksDue(t: JobsTableClient, now: number, limit: number): Promise<JobRecord[]> {
  const due: JobRecord[] = [];
  for await (const entry of dueEntries(t, now, limit * SCAN_PER_DELIVERY)) {
    const state = await stateOf(t, entry, now);
    if (state.kind === 'due') due.push(state.record);
    if (due.length >= limit) break;
  }
  return due;
}

/**
 * Drops the entries of jobs that are gone or delivered and re-files those whose job is due later, among the first
 * `limit` × SCAN_PER_DELIVERY entries due by `now`. Each write is conditioned on the entry being as it was read, so
 * a job re-filed meanwhile keeps its new entry. Returns how many entries it changed.
 */
export async function sweepWebhookOutbox(t: JobsTableClient, now: number, limit: number): Promise<number> {
  let changed = 0;
  for await (const entry of dueEntries(t, now, limit * SCAN_PER_DELIVERY)) {
    const state = await stateOf(t, entry, now);
    if (state.kind === 'due') continue;
    const unchanged = { ConditionExpression: 'createdAt = :seen', ExpressionAttributeValues: { ':seen': entry.dueKey } };
    try {
      if (state.kind === 'orphan') await t.client.send(new DeleteCommand({ TableName: t.table, Key: { id: entry.id }, ...unchanged }));
      else await t.client.send(new PutCommand({ TableName: t.table, Item: outboxItem(state.record, state.dueAt), ...unchanged }));
      changed += 1;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return changed;
}

async function stateOf(t: JobsTableClient, entry: OutboxEntry, now: number): Promise<EntryState> {
  const record = await getJob(t, entry.jobId);
  const dueAt = record?.webhook.dueAt ?? null;
  if (!record || dueAt === null) return { kind: 'orphan' };
  return dueAt > now ? { kind: 'later', record, dueAt } : { kind: 'due', record };
}

/** Outbox entries filed at or before `now`, oldest first, at most `max` of them. */
async function* dueEntries(t: JobsTableClient, now: number, max: number): AsyncGenerator<OutboxEntry> {
  if (max <= 0) return;
  let start: QueryCommandInput['ExclusiveStartKey'];
  let read = 0;
  do {
    const page = await t.client.send(
      new QueryCommand({
        TableName: t.table,
        IndexName: JOBS_TABLE.byStatus,
        KeyConditionExpression: 'jobStatus = :status AND createdAt <= :now',
        ExpressionAttributeValues: { ':status': WEBHOOK_DUE_STATUS, ':now': isoKey(now) },
        ExclusiveStartKey: start,
        Limit: max - read,
      }),
    );
    for (const item of page.Items ?? []) {
      read += 1;
      yield { id: item['id'] as string, jobId: item['jobId'] as string, dueKey: item['createdAt'] as string };
    }
    start = page.LastEvaluatedKey;
  } while (start && read < max);
}
