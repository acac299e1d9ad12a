import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { JobRecord } from '../job-store.port';
import type { JobsTableClient } from './dynamodb-client';
import { getJob } from './dynamodb-job-queries';

/**
 * Idempotency keys as items of the jobs table (`idempotencyItemId`): claimed by a conditional put before the job is
 * written, so two requests with one key create one job even across API processes.
 */

const IDEMPOTENCY_TTL_SECONDS = 30 * 24 * 3600;
/** A key whose job has not appeared this long after it was claimed belongs to a creator that died. */
const ABANDONED_CLAIM_MS = 30_000;

/** Returns the job already created under the key item `id`, or null once the key is ours (for `jobId`). */
export async function claimIdempotencyKey(t: JobsTableClient, id: string, jobId: string): Promise<JobRecord | null> {
  const item = () => ({ id, jobId, claimedAt: Date.now(), expiresAt: Math.ceil(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS });
  for (let tries = 0; tries < 20; tries += 1) {
    try {
      await t.client.send(new PutCommand({ TableName: t.table, Item: item(), ConditionExpression: 'attribute_not_exists(id)' }));
      return null;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await t.client.send(new GetCommand({ TableName: t.table, Key: { id }, ConsistentRead: true }));
    const owner = Item?.['jobId'] as string | undefined;
    if (!owner) continue;
    const existing = await getJob(t, owner);
    if (existing) return existing;
    if (Date.now() - Number(Item?.['claimedAt'] ?? 0) < ABANDONED_CLAIM_MS) {
      // Its creator is probably writing the job right now: look again shortly.
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    // The key's creator died before writing its job (or the job was purged): take the key over.
    try {
      await t.client.send(
        new PutCommand({
          TableName: t.table,
          Item: item(),
          ConditionExpression: 'jobId = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
      return null;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  throw new Error(`idempotency key ${id} is contended`);
}

/** Frees the key item `id` if it still names `jobId` (a newer job may have taken the key over since). */
export async function releaseIdempotencyKey(t: JobsTableClient, id: string, jobId: string): Promise<void> {
  await t.client
    .send(
      new DeleteCommand({
        TableName: t.table,
        Key: { id },
        ConditionExpression: 'jobId = :id',
        ExpressionAttributeValues: { ':id': jobId },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}
