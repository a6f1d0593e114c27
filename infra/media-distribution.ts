import { Annotations, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** The folder of the bucket that the distribution serves, and nothing outside it. */
const MEDIA_PREFIX = 'media';

/** What {@link MediaDistribution} serves. */
export interface MediaDistributionProps {
  /**
   * The private bucket holding the photos under `media/` (the archive bucket), encrypted with
   * S3's own keys: CloudFront's origin access control reads SSE-S3 objects without any key
   * policy, which a customer managed KMS key would need.
   */
  bucket: Bucket;
}

/**
 * The stored photos on a CloudFront distribution, read from the private bucket through origin
 * access control: `https://<domain>/<sha256>.jpg` is the object `media/<sha256>.jpg`, as
 * `mediaUrl` writes it with {@link MediaDistribution.mediaBaseUrl}. Only `media/` can be
 * reached: the origin path puts every request below it, and the bucket policy lets this
 * distribution read `media/*` and nothing else. HTTPS only, cached as the objects say
 * (a year, immutable), with an access log kept 90 days.
 * It belongs to the stateful stack: addresses already mailed must outlive any redeployment.
 */
export class MediaDistribution extends Construct {
  readonly distribution: Distribution;
  /** Where stored photos are served from, without a trailing slash: the `mediaBaseUrl`. */
  readonly mediaBaseUrl: string;
  /** CloudFront's access logs (standard logging needs a bucket of its own with ACLs). */
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: MediaDistributionProps) {
    super(scope, id);
    const { bucket } = props;

    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront's standard logs are delivered under an ACL grant, so ACLs must be on.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const onlyLogs =
      'This bucket only receives CloudFront access logs; logging the access to the logs ' +
      'would need yet another bucket, and only CloudFront and the account write here.';
    Validations.of(this.logBucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: onlyLogs },
      { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: onlyLogs },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_versioning_enabled_check',
        reason:
          'CloudFront writes each log file once and nothing rewrites it; the files expire ' +
          'after 90 days, so versions would only keep deleted logs longer.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        reason:
          'The logs are kept 90 days for looking into traffic, not as evidence that must ' +
          'not be altered; Object Lock would also need versioning, which they do not need.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
        reason:
          'The logs are encrypted with S3 managed keys, which CloudFront log delivery writes ' +
          'with no key policy to maintain; they record requests for public images only.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        reason:
          'Nothing processes the logs as they arrive: they are read when someone looks into ' +
          'traffic, so notifications would have no one to notify.',
      },
    );

    // The origin is given the bucket as a reference, so that the L2 does not add its own
    // statement to the bucket policy: that one lets the distribution read every object of
    // the bucket (`bucket/*`), the rendered issues too. The statement below allows `media/*`.
    const origin = S3BucketOrigin.withOriginAccessControl(
      Bucket.fromBucketAttributes(this, 'OriginBucket', {
        bucketArn: bucket.bucketArn,
        bucketRegionalDomainName: bucket.bucketRegionalDomainName,
      }),
      { originPath: `/${MEDIA_PREFIX}` },
    );
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Photos of the newsletter (media/ of the archive bucket)',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // No cookie, header or query string reaches the key or S3; the objects' own
        // Cache-Control (a year) decides how long edges keep them.
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'media/',
    });
    Annotations.of(this.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      'The bucket policy statement for this distribution is added below, for media/* only.',
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'MediaDistributionReadsMedia',
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${MEDIA_PREFIX}/*`)],
        conditions: { StringEquals: { 'AWS:SourceArn': this.distribution.distributionArn } },
      }),
    );
    this.mediaBaseUrl = `https://${this.distribution.distributionDomainName}`;

    const defaultCertificate =
      'Without a custom domain the distribution uses the default *.cloudfront.net ' +
      'certificate, whose security policy CloudFront fixes at TLSv1; a media domain with ' +
      'an ACM certificate in us-east-1 would allow TLSv1.2_2021 (and SNI).';
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The photos illustrate a newsletter mailed to subscribers wherever they live; no ' +
          'country is to be refused, and each image is public once mailed.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves only immutable, content-addressed images with GET and HEAD; ' +
          'no request reaches code, and CloudFront absorbs floods; a web ACL would cost more ' +
          'than what it protects.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: defaultCertificate,
      },
      {
        id: 'cdk-validator-cfnguard::cloudfront_security_policy_check',
        reason: defaultCertificate,
      },
      {
        id: 'cdk-validator-cfnguard::cloudfront_custom_ssl_certificate_check',
        reason: defaultCertificate,
      },
      { id: 'cdk-validator-cfnguard::cloudfront_sni_enabled_check', reason: defaultCertificate },
      {
        id: 'cdk-validator-cfnguard::cloudfront_default_root_object_configured_check',
        reason:
          'There is nothing to serve at the root: a request for / reaches S3 as media/, which ' +
          'the distribution may only GetObject (never list), so it gets 403 and no listing.',
      },
      {
        id: 'cdk-validator-cfnguard::cloudfront_origin_failover_enabled_check',
        reason:
          'The one origin is the archive bucket, which S3 keeps across availability zones; a ' +
          'failover origin would need a second, replicated bucket, for immutable photos that ' +
          'the edges mostly serve from their caches.',
      },
    );
  }
}
