import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedApp, synthApp } from './support/synth-app.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = {
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

/** CloudFront's managed cache policy `Managed-CachingOptimized`. */
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthApp();
});
afterAll(() => synthesized.cleanUp());

const statefulId = (element: unknown) => synthesized.stateful.getLogicalId(element as CfnElement);
const statelessId = (element: unknown) => synthesized.stateless.getLogicalId(element as CfnElement);
const bucketId = () => statefulId(synthesized.stateful.archiveBucket.node.defaultChild);
const distributionId = () => statefulId(synthesized.stateful.media.distribution.node.defaultChild);

/** The statements of the archive bucket's policy. */
function archiveBucketStatements(): Statement[] {
  const policies = synthesized.statefulTemplate.findResources('AWS::S3::BucketPolicy', {
    Properties: { Bucket: { Ref: bucketId() } },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as Resource & { Properties: { PolicyDocument: { Statement: Statement[] } } })
        .Properties.PolicyDocument.Statement,
  );
}

function environmentOf(fn: NodejsFunction): Record<string, unknown> {
  const resources = synthesized.statelessTemplate.toJSON().Resources as Record<string, Resource>;
  const resource = resources[statelessId(fn.node.defaultChild)];
  if (!resource) throw new Error(`no resource for ${fn.node.path}`);
  return (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('the media distribution (stateful stack)', () => {
  it('reads the archive bucket through an origin access control that signs every request', () => {
    const template = synthesized.statefulTemplate;

    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const oac = Object.keys(template.findResources('AWS::CloudFront::OriginAccessControl'))[0];
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Origins: [
          Match.objectLike({
            DomainName: { 'Fn::GetAtt': [bucketId(), 'RegionalDomainName'] },
            OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] },
            // Every request lands below media/: no other object can be asked for.
            OriginPath: '/media',
          }),
        ],
      },
    });
  });

  it('serves only GET and HEAD, over HTTPS, cached and compressed, with no other behaviour', () => {
    synthesized.statefulTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          CachePolicyId: CACHING_OPTIMIZED,
          Compress: true,
        }),
        CacheBehaviors: Match.absent(),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      },
    });
  });

  it('keeps the bucket private: public access blocked, and only this distribution may read media/', () => {
    synthesized.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      // SSE-S3: CloudFront's origin access control reads it without a KMS key policy.
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
    });
    const allowed = archiveBucketStatements().filter((statement) => statement.Effect === 'Allow');

    expect(allowed).toEqual([
      {
        Sid: 'MediaDistributionReadsMedia',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/media/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId() },
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  it('outputs MediaBaseUrl, the distribution’s HTTPS address', () => {
    synthesized.statefulTemplate.hasOutput('MediaBaseUrl', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]] },
    });
  });
});

describe('the media address in the stateless stack', () => {
  it('reaches the functions that render photos, from the distribution’s domain', () => {
    const { httpApi, issueBuilder, sender, sesEvents } = synthesized.stateless.functions;

    for (const fn of [httpApi, issueBuilder]) {
      const value = JSON.stringify(environmentOf(fn).NEWSLETTER_MEDIA_BASE_URL);
      expect(value).toContain('https://');
      expect(value).toContain(distributionId());
    }
    for (const fn of [sender, sesEvents]) {
      expect(environmentOf(fn)).not.toHaveProperty('NEWSLETTER_MEDIA_BASE_URL');
    }
  });

  it('gives the CLI the media address in CliEnvironment', () => {
    const outputs = synthesized.statelessTemplate.toJSON().Outputs as Record<
      string,
      { Value: unknown }
    >;
    const pairs = JSON.stringify(outputs.CliEnvironment?.Value);

    expect(pairs).toContain('NEWSLETTER_MEDIA_BASE_URL=https://');
    expect(pairs).toContain(distributionId());
  });

  it('lets the public function read the archived issues, not the photos of media/', () => {
    const { httpApi } = synthesized.stateless.functions;
    const role = statelessId(httpApi.role?.node.defaultChild);
    const policies = synthesized.statelessTemplate.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: role }] },
    });
    const reads = Object.values(policies)
      .flatMap(
        (policy) =>
          (policy as Resource & { Properties: { PolicyDocument: { Statement: Statement[] } } })
            .Properties.PolicyDocument.Statement,
      )
      .filter((statement) => [statement.Action].flat().includes('s3:GetObject'));

    expect(reads).toHaveLength(1);
    const resource = JSON.stringify(reads[0]?.Resource);
    expect(resource).toContain('/issues/*');
    expect(resource).not.toContain('/media');
    expect(resource).not.toMatch(/"\/\*"/);
  });
});
