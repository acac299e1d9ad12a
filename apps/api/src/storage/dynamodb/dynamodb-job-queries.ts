import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { JOB_STATUSES, TERMINAL_JOB_STATUSES } from '@speech/contracts';
import { decodeCursor, encodeCursor } from '../job-cursor';
import type { BacklogEntry, JobListQuery, JobPage, JobRecord } from '../job-store.port';
import type { JobsTableClient } from './dynamodb-client';
import { fromItem, isoKey } from './dynamodb-items';
import { JOBS_TABLE } from './dynamodb-table';

/** The job reads of the DynamoDB store: one document, pages of documents through the two indexes. Nothing here writes. */

/**
 * The per-owner backlog reads at most this many queued and this many running jobs (the per-key caps keep an
 * owner's queue far below it).
 */
export const FAIR_SCAN_LIMIT = 5000;

export async function getJob(t: JobsTableClient, id: string): Promise<JobRecord | null> {
  const { Item } = await t.client.send(new GetCommand({ TableName: t.table, Key: { id }, ConsistentRead: true }));
  return Item && typeof Item['doc'] === 'string' ? fromItem(Item) : null;
}

/** One status partition of the status index, oldest first. */
export function byStatus(t: JobsTableClient, status: string): QueryCommandInput {
  return {
    TableName: t.table,
    IndexName: JOBS_TABLE.byStatus,
    KeyConditionExpression: 'jobStatus = :status',
    ExpressionAttributeValues: { ':status': status },
    ScanIndexForward: true,
  };
}

/** Follows pages until `wanted` records matched (filters may leave pages short) or the index ends. */
export async function queryRecords(
  t: JobsTableClient,
  input: QueryCommandInput,
  wanted: number,
  keep: (record: JobRecord) => boolean = () => true,
): Promise<JobRecord[]> {
  const records: JobRecord[] = [];
  let start = input.ExclusiveStartKey;
  do {
    const page = await t.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start, Limit: Math.max(wanted, 25) }));
    for (const item of page.Items ?? []) {
      const record = fromItem(item);
      if (records.length < wanted && keep(record)) records.push(record);
    }
    start = page.LastEvaluatedKey;
  } while (start && records.length < wanted);
  return records;
}

/**
 * One owner: its partition of the owner index, newest first. Every owner (admin): each status partition of the
 * status index from the cursor on, merged newest first (one Query per status, no Scan).
 */
export async function listJobs(t: JobsTableClient, query: JobListQuery): Promise<JobPage> {
  const statuses = query.statuses ?? [];
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  // One more than asked tells whether a next page exists.
  const wanted = query.limit + 1;
  let records: JobRecord[];
  if (query.ownerId !== undefined) {
    const owner = query.ownerId;
    records = await queryRecords(
      t,
      {
        TableName: t.table,
        IndexName: JOBS_TABLE.byOwner,
        KeyConditionExpression: 'ownerId = :owner',
        ExpressionAttributeValues: { ':owner': owner, ...Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])) },
        ...(statuses.length > 0 ? { FilterExpression: `jobStatus IN (${statuses.map((_, i) => `:s${i}`).join(', ')})` } : {}),
        ExclusiveStartKey: after && { id: after.id, ownerId: owner, createdAt: isoKey(after.createdAt) },
        ScanIndexForward: false,
      },
      wanted,
    );
  } else {
    const partitions = await Promise.all(
      (statuses.length > 0 ? statuses : JOB_STATUSES).map((status) =>
        queryRecords(
          t,
          {
            TableName: t.table,
            IndexName: JOBS_TABLE.byStatus,
            KeyConditionExpression: after ? 'jobStatus = :status AND createdAt <= :after' : 'jobStatus = :status',
            ExpressionAttributeValues: { ':status': status, ...(after ? { ':after': isoKey(after.createdAt) } : {}) },
            ScanIndexForward: false,
          },
          wanted,
          // Key attributes cannot be filtered server-side: drop the cursor's own millisecond up to its id here.
          after && ((record) => record.createdAt < after.createdAt || record.id < after.id),
        ),
      ),
    );
    records = partitions.flat().sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, wanted);
  }
  const page = records.slice(0, query.limit);
  const last = page[page.length - 1];
  return { records: page, nextCursor: records.length > query.limit && last ? encodeCursor(last) : null };
}

/** One owner's queued and running jobs, for the per-key caps. */
export async function ownerBacklog(t: JobsTableClient, ownerId: string): Promise<BacklogEntry[]> {
  const entries: BacklogEntry[] = [];
  for (const status of ['queued', 'running'] as const) {
    const records = await queryRecords(
      t,
      {
        ...byStatus(t, status),
        FilterExpression: 'ownerId = :owner',
        ExpressionAttributeValues: { ':status': status, ':owner': ownerId },
      },
      FAIR_SCAN_LIMIT,
    );
    entries.push(...records.map((record) => ({ status, bytes: record.audio.bytes, format: record.audio.format, durationSeconds: record.audio.durationSeconds })));
  }
  return entries;
}

/** Ended jobs whose retention has passed. */
export async function listExpired(t: JobsTableClient, now: number, limit: number): Promise<JobRecord[]> {
  const expired: JobRecord[] = [];
  for (const status of TERMINAL_JOB_STATUSES) {
    if (expired.length >= limit) break;
    // A job expires after it ended, so only jobs created before `now` can qualify.
    expired.push(
      ...(await queryRecords(
        t,
        {
          ...byStatus(t, status),
          KeyConditionExpression: 'jobStatus = :status AND createdAt <= :now',
          FilterExpression: 'expiresAtMs <= :nowMs',
          ExpressionAttributeValues: { ':status': status, ':now': isoKey(now), ':nowMs': now },
        },
        limit - expired.length,
      )),
    );
  }
  return expired;
}
