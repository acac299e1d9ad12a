import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, QueryCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ANONYMOUS_OWNER } from '../../common/anonymous-owner';
import { fairOwnerOrder, interleave, ownerStatesOf } from '../fair-claim-order';
import type { JobRecord, OwnerQueueState } from '../job-store.port';
import type { JobsTableClient } from './dynamodb-client';
import { ownerClaimItemId } from './dynamodb-items';
import { byStatus, FAIR_SCAN_LIMIT, getJob } from './dynamodb-job-queries';

/**
 * The fair claim order on DynamoDB (storage/fair-claim-order.ts decides it): reads only key attributes of the
 * queued and running partitions, at most FAIR_SCAN_LIMIT of each per look; owners whose jobs all lie beyond it wait
 * for the next look.
 */

interface ActiveEntry {
  readonly id: string;
  readonly ownerId: string;
  readonly status: string;
  readonly createdAt: number;
  readonly claimedAt: number | null;
  readonly leaseExpiresAt: number | null;
}

/**
 * Orders owners fairly, then fetches the few chosen documents. Each candidate is still claimed by compare-and-set,
 * so a stale look only costs a lost race.
 */
export async function listClaimable(t: JobsTableClient, now: number, limit: number): Promise<JobRecord[]> {
  const active = await activeEntries(t);
  const queuedByOwner = new Map<string, ActiveEntry[]>();
  for (const entry of active) {
    if (entry.status !== 'queued') continue;
    queuedByOwner.set(entry.ownerId, [...(queuedByOwner.get(entry.ownerId) ?? []), entry]);
  }
  const owners = fairOwnerOrder(ownerStatesOf(active, await servedAt(t, queuedByOwner.keys()))).slice(0, limit);
  const queued = interleave(owners.map((owner) => (queuedByOwner.get(owner.ownerId) ?? []).slice(0, limit)), limit);
  const expired = active.filter((entry) => entry.status === 'running' && (entry.leaseExpiresAt ?? 0) < now);
  const chosen = [...queued, ...expired].slice(0, limit);
  const records = await Promise.all(chosen.map((entry) => getJob(t, entry.id)));
  return records.filter((record): record is JobRecord => record !== null);
}

export async function ownerQueues(t: JobsTableClient): Promise<OwnerQueueState[]> {
  const active = await activeEntries(t);
  return ownerStatesOf(active, await servedAt(t, new Set(active.map((entry) => entry.ownerId))));
}

/** Remembers the latest claim of `ownerId`; an older time never overwrites a newer one. */
export async function noteClaim(t: JobsTableClient, ownerId: string, at: number): Promise<void> {
  // No jobStatus attribute: the item stays out of the status index.
  await t.client
    .send(
      new UpdateCommand({
        TableName: t.table,
        Key: { id: ownerClaimItemId(ownerId) },
        UpdateExpression: 'SET lastClaimedAt = :at',
        ConditionExpression: 'attribute_not_exists(lastClaimedAt) OR lastClaimedAt < :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

/** The remembered last claim of each of these owners (JobStore.noteClaim). */
async function servedAt(t: JobsTableClient, owners: Iterable<string>): Promise<Map<string, number>> {
  const ids = [...new Set(owners)];
  const served = new Map<string, number>();
  for (let start = 0; start < ids.length; start += 100) {
    let keys: Array<Record<string, unknown>> | undefined = ids.slice(start, start + 100).map((owner) => ({ id: ownerClaimItemId(owner) }));
    // BatchGet may answer part of the keys and hand the rest back as unprocessed.
    for (let tries = 0; keys && keys.length > 0 && tries < 5; tries += 1) {
      const answer: BatchGetCommandOutput = await t.client.send(new BatchGetCommand({ RequestItems: { [t.table]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of answer.Responses?.[t.table] ?? []) {
        const owner = (item['id'] as string).slice(ownerClaimItemId('').length);
        if (typeof item['lastClaimedAt'] === 'number') served.set(owner, item['lastClaimedAt']);
      }
      keys = answer.UnprocessedKeys?.[t.table]?.Keys;
    }
  }
  return served;
}

/** Key attributes of queued and running jobs, each partition oldest first. */
async function activeEntries(t: JobsTableClient): Promise<ActiveEntry[]> {
  const entries: ActiveEntry[] = [];
  for (const status of ['queued', 'running'] as const) {
    let start: QueryCommandInput['ExclusiveStartKey'];
    let read = 0;
    do {
      const page = await t.client.send(
        new QueryCommand({
          ...byStatus(t, status),
          ProjectionExpression: '#id, ownerId, createdAt, claimedAtMs, leaseExpiresAt',
          ExpressionAttributeNames: { '#id': 'id' },
          ExclusiveStartKey: start,
          Limit: Math.min(1000, FAIR_SCAN_LIMIT - read),
        }),
      );
      for (const item of page.Items ?? []) {
        entries.push({
          id: item['id'] as string,
          ownerId: (item['ownerId'] as string | undefined) ?? ANONYMOUS_OWNER,
          status,
          createdAt: Date.parse(item['createdAt'] as string),
          claimedAt: typeof item['claimedAtMs'] === 'number' ? item['claimedAtMs'] : null,
          leaseExpiresAt: typeof item['leaseExpiresAt'] === 'number' ? item['leaseExpiresAt'] : null,
        });
      }
      read += page.Items?.length ?? 0;
      start = page.LastEvaluatedKey;
    } while (start && read < FAIR_SCAN_LIMIT);
  }
  return entries;
}
