import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '#adapters/tables.ts';
import { type SynthesizedApp, synthApp } from './support/synth-app.ts';

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthApp();
});
afterAll(() => synthesized.cleanUp());

describe('the stateful stack', () => {
  it('has one table per definition in tables.ts, with its keys and no secondary index', () => {
    const template = synthesized.statefulTemplate;

    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(tables).length);
    for (const definition of Object.values(tables)) {
      const sortKey = 'sortKey' in definition ? definition.sortKey : undefined;
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : []),
        ],
        // Every lookup is by key: an index would only add cost and eventual consistency.
        GlobalSecondaryIndexes: Match.absent(),
      });
    }
  });

  it('lets DynamoDB delete expired items by the attribute each table names, and no other', () => {
    const { stateful } = synthesized;
    const resources = synthesized.statefulTemplate.toJSON().Resources;
    const ttlOf = (key: keyof typeof tables) =>
      resources[stateful.getLogicalId(stateful.tables[key].node.defaultChild as CfnElement)]
        ?.Properties.TimeToLiveSpecification;

    // Sign-ups never confirmed, the sign-up queue, the counters, and the senders' leases.
    for (const key of ['subscribers', 'signups', 'counters', 'sends'] as const) {
      expect({ key, ttl: ttlOf(key) }).toEqual({
        key,
        ttl: { AttributeName: 'expiresAt', Enabled: true },
      });
    }
    for (const key of ['articles', 'issues', 'suppressions', 'audit'] as const) {
      expect({ key, ttl: ttlOf(key) }).toEqual({ key, ttl: undefined });
    }
  });

  it('keeps every table with point-in-time recovery when the stack is deleted', () => {
    const found = synthesized.statefulTemplate.findResources('AWS::DynamoDB::Table');

    for (const table of Object.values(found)) {
      expect(table).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        },
      });
    }
  });

  it('encrypts every table with the AWS managed KMS key, whose use CloudTrail shows', () => {
    const found = synthesized.statefulTemplate.findResources('AWS::DynamoDB::Table');

    for (const table of Object.values(found)) {
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    }
  });

  it('keeps the archive bucket private, encrypted, versioned and retained', () => {
    synthesized.statefulTemplate.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    });
  });

  it('keeps every current object of the archive, and a replaced or deleted one 30 days', () => {
    const archive = synthesized.stateful.getLogicalId(
      synthesized.stateful.archiveBucket.node.defaultChild as CfnElement,
    );
    const bucket = synthesized.statefulTemplate.toJSON().Resources[archive];

    // Nothing expires the current objects: they are the public archive and mailed photos.
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'ExpireReplacedVersionsAndAbandonedUploads',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);
  });

  it('refuses any request to the archive bucket that is not over TLS', () => {
    synthesized.statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('generates the link-signing key in Secrets Manager and keeps it', () => {
    synthesized.statefulTemplate.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: { GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) },
    });
  });

  describe('the link keys', () => {
    const resourceOf = (secret: CfnElement) =>
      synthesized.statefulTemplate.toJSON().Resources[synthesized.stateful.getLogicalId(secret)];
    const linkKeys = () =>
      resourceOf(synthesized.stateful.linkKeys.node.defaultChild as CfnElement) as {
        Type: string;
        DeletionPolicy?: string;
        UpdateReplacePolicy?: string;
        Properties: Record<string, unknown>;
      };
    const tokenKeyId = () =>
      synthesized.stateful.getLogicalId(
        synthesized.stateful.tokenKey.node.defaultChild as CfnElement,
      );

    it('are a secret of their own, kept when the stack is deleted or the secret replaced', () => {
      expect(linkKeys()).toMatchObject({
        Type: 'AWS::SecretsManager::Secret',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      synthesized.statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
    });

    it('start as { "0": <the TokenKey secret’s value> }, resolved by CloudFormation: every link mailed before keeps working', () => {
      const { SecretString, GenerateSecretString } = linkKeys().Properties;

      expect(GenerateSecretString).toBeUndefined();
      // `{"0":"{{resolve:secretsmanager:<the TokenKey's ARN>:SecretString:::}}"}`, the ARN a
      // reference to the TokenKey secret: the value is never in the template.
      expect(SecretString).toEqual({
        'Fn::Join': [
          '',
          ['{"0":"{{resolve:secretsmanager:', { Ref: tokenKeyId() }, ':SecretString:::}}"}'],
        ],
      });
    });

    it('have exactly the properties they were created with, so that no deployment writes the first value again', () => {
      // Changing any of these makes CloudFormation update the secret, which may write
      // { "0": … } again and drop every key that `newsletter keys rotate` added since,
      // breaking the links they signed.
      expect(Object.keys(linkKeys().Properties).sort()).toEqual([
        'Description',
        'SecretString',
        'Tags',
      ]);
      expect(linkKeys().Properties.Description).toBe(
        'HMAC keys that sign subscriber links, by kid (newsletter keys rotate)',
      );
      expect(linkKeys().Properties.Tags).toEqual([{ Key: 'project', Value: 'newsletter' }]);
    });
  });
});
