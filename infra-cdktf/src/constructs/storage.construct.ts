import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { JOBS_TABLE_SCHEMA } from '../config/resource-names';
import type { StackConfig } from '../config/stack-config';
import { SecureBucket } from './secure-bucket.construct';

export interface StorageProps {
  readonly audioBucketName: string;
  readonly jobsTableName: string;
  readonly config: StackConfig['storage'];
}

/**
 * What the API keeps on AWS: the BlobStore bucket (uploads, results, async inference payloads,
 * all short-lived) and the JobStore table.
 */
export class Storage extends Construct {
  readonly audioBucket: SecureBucket;
  readonly jobsTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { config } = props;

    this.audioBucket = new SecureBucket(this, 'audio', {
      bucketName: props.audioBucketName,
      forceDestroy: config.forceDestroy,
      expirationDays: config.audioRetentionDays,
    });

    const { partitionKey, ttlAttribute, indexes } = JOBS_TABLE_SCHEMA;
    this.jobsTable = new DynamodbTable(this, 'jobs', {
      name: props.jobsTableName,
      // Job traffic is bursty and small; on-demand costs nothing while idle.
      billingMode: 'PAY_PER_REQUEST',
      hashKey: partitionKey,
      attribute: [
        { name: partitionKey, type: 'S' },
        { name: indexes.byOwner.partitionKey, type: 'S' },
        { name: indexes.byStatus.partitionKey, type: 'S' },
        // ISO-8601 timestamps sort lexically in time order.
        { name: indexes.byOwner.sortKey, type: 'S' },
      ],
      globalSecondaryIndex: [indexes.byOwner, indexes.byStatus].map((index) => ({
        name: index.name,
        hashKey: index.partitionKey,
        rangeKey: index.sortKey,
        projectionType: 'ALL',
      })),
      ttl: { attributeName: ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: config.deletionProtection,
    });
  }
}
