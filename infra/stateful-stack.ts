import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { tables } from '#adapters/tables.ts';
import type { Config } from '#core/common/config.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { MediaDistribution } from './media-distribution.ts';
import { createPublicApi, type PublicApi } from './public-api.ts';

export type TableKey = keyof typeof tables;

export interface StatefulStackProps extends StackProps {
  /** The validated configuration: the list's name describes the public API. */
  config: Config;
  /** The custom domain of the public API, when there is one. */
  settings: DeploymentSettings;
}

/**
 * What must outlive any deployment: the DynamoDB tables (point-in-time recovery, kept when the
 * stack is deleted), the archive bucket, the distribution that serves its photos (their
 * addresses are in every issue already mailed), the keys of subscriber links and of address
 * hashes (losing one would break every unsubscribe link mailed under it) and the public
 * HTTP API with its stage and custom domain, at whose address those links point: the
 * stateless stack adds only the routes, so replacing it leaves the address as it was.
 */
export class StatefulStack extends Stack {
  /** One table per entry of `lambdas/adapters/tables.ts`, read when the app is synthesized. */
  readonly tables: Record<TableKey, Table>;
  /** Rendered issues, their public archive copies, and the photos under `media/`. */
  readonly archiveBucket: Bucket;
  /** Serves the photos of `media/` over HTTPS (CloudFront, origin access control). */
  readonly media: MediaDistribution;
  /**
   * The HMAC key of address hashes (suppressions, the sign-up counters), which never rotates;
   * until link keys came, it also signed subscriber links, as `linkKeys`' kid "0" still does.
   */
  readonly tokenKey: Secret;
  /**
   * The keys that sign and check subscriber links (unsubscribe, confirm), as JSON keyed by kid
   * (`{ "0": "…", "lz3k9a": "…" }`): `newsletter keys rotate` adds one, `keys retire` removes
   * one (`lambdas/core/keys/`).
   */
  readonly linkKeys: Secret;
  /** The public HTTP API, its `$default` stage and custom domain, and `publicBaseUrl`. */
  readonly publicApi: PublicApi;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    const made: Partial<Record<TableKey, Table>> = {};
    for (const [key, definition] of Object.entries(tables) as [
      TableKey,
      (typeof tables)[TableKey],
    ][]) {
      const table = new Table(this, `${key[0]?.toUpperCase()}${key.slice(1)}Table`, {
        partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
        ...('sortKey' in definition && definition.sortKey
          ? { sortKey: { name: definition.sortKey, type: AttributeType.STRING } }
          : {}),
        ...('timeToLiveAttribute' in definition
          ? { timeToLiveAttribute: definition.timeToLiveAttribute }
          : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        // The AWS managed KMS key for DynamoDB rather than an AWS owned one: its use shows in
        // CloudTrail, and it has no monthly fee, only KMS request charges (AWS Control
        // Tower's CT.DYNAMODB.PR.2).
        encryption: TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      made[key] = table;
    }
    this.tables = made as Record<TableKey, Table>;

    this.archiveBucket = new Bucket(this, 'ArchiveBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireReplacedVersionsAndAbandonedUploads',
          // Never the current objects: they are the public archive and the photos that
          // issues already mailed show. A replaced or deleted one can be had back for 30 days.
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogged =
      'The bucket is private: the public reaches its objects only through the HTTP API ' +
      'and the media distribution, whose access logs record every request; S3 server ' +
      'access logs would say the same again.';
    Validations.of(this.archiveBucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: accessLogged },
      { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: accessLogged },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
        reason:
          'S3 managed keys on purpose: CloudFront’s origin access control reads the photos ' +
          'of media/ without the key policy that a KMS key would need, and the archived ' +
          'issues and photos are public once mailed (see media-distribution.ts).',
      },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        reason:
          'Object Lock would forbid removing an archived issue or photo that has to go (an ' +
          'erasure request, a takedown); versioning already undoes a mistaken overwrite or ' +
          'delete for 30 days.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        reason:
          'Nothing waits on a change in this bucket: whatever writes an object (the issue ' +
          'builder, the editor API, the CLI) does what follows itself; notifications would ' +
          'have no one to notify.',
      },
    );

    this.media = new MediaDistribution(this, 'Media', { bucket: this.archiveBucket });
    new CfnOutput(this, 'MediaBaseUrl', {
      value: this.media.mediaBaseUrl,
      description: 'Where the photos are served from (NEWSLETTER_MEDIA_BASE_URL)',
    });

    this.tokenKey = new Secret(this, 'TokenKey', {
      description: 'HMAC key that signs subscriber links (unsubscribe, confirm)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.tokenKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link-signing key would void every unsubscribe link already mailed, ' +
        'which must keep working for at least 60 days (RFC 8058, Gmail and Yahoo rules).',
    });

    // Created once with the old key as kid "0", so that every link mailed before link keys
    // came keeps working. CloudFormation resolves the reference when it writes the value,
    // and never reads the secret back: the kids that `newsletter keys rotate` adds (with
    // PutSecretValue) are not in the template. Changing any property of this resource could
    // make CloudFormation write this initial value again, dropping every kid added since and
    // breaking the links they signed: tests/infra/stateful-stack.test.ts pins them.
    this.linkKeys = new Secret(this, 'LinkKeys', {
      description: 'HMAC keys that sign subscriber links, by kid (newsletter keys rotate)',
      secretObjectValue: { '0': SecretValue.secretsManager(this.tokenKey.secretArn) },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.linkKeys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by `newsletter keys rotate`, which adds a key and keeps the others, so that ' +
        'every link already mailed keeps working; Secrets Manager rotation replaces the value ' +
        'and would break them. Old keys go by a separate `newsletter keys retire`.',
    });

    this.publicApi = createPublicApi(this, props.config, props.settings);
    new CfnOutput(this, 'PublicBaseUrl', {
      value: this.publicApi.publicBaseUrl,
      description: 'Where every mailed link points (NEWSLETTER_PUBLIC_BASE_URL)',
    });
    new CfnOutput(this, 'ApiEndpoint', {
      value: this.publicApi.api.apiEndpoint,
      description: 'The HTTP API’s own endpoint, which the editor API is called on',
    });
    if (this.publicApi.domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.publicApi.domain.regionalDomainName,
        description: `Point ${props.settings.customDomain?.domainName} here (CNAME, or an alias record)`,
      });
    }
  }
}
