import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';

export interface SecureBucketProps {
  readonly bucketName: string;
  readonly forceDestroy: boolean;
  /** Keep old object versions (model artifacts: roll back by re-pointing to an older version). */
  readonly versioning?: { readonly noncurrentVersionExpirationDays: number };
  /** Delete current objects this many days after upload (audio, results, async payloads). */
  readonly expirationDays?: number;
}

/**
 * An S3 bucket that is private by construction: SSE-S3 encryption by default, every public-access
 * switch on, ACLs disabled (bucket owner owns every object), and a policy refusing non-TLS requests.
 * SSE-S3 rather than KMS keeps SageMaker's async writes and the API's reads free of key grants.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy });
    const bucket = this.bucket.id;

    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });

    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          // A deny over every S3 action is the point here: no request without TLS, whatever it is.
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', { bucket, policy: tlsOnly.json, dependsOn: [publicAccess] });

    if (props.versioning) {
      new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    }

    const rules = [
      {
        id: 'abort-incomplete-multipart-uploads',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
      },
      ...(props.expirationDays
        ? [{ id: 'expire-objects', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: props.expirationDays }] }]
        : []),
      ...(props.versioning
        ? [
            {
              id: 'expire-noncurrent-versions',
              status: 'Enabled',
              filter: [{ prefix: '' }],
              noncurrentVersionExpiration: [{ noncurrentDays: props.versioning.noncurrentVersionExpirationDays }],
            },
          ]
        : []),
    ];
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket, rule: rules });
  }
}
