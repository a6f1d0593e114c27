import { Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CONFIG_ENV } from '#adapters/config-from-env.ts';
import type { TableDefinition } from '#adapters/tables.ts';
import { type Config, envNameOf } from '#core/common/config.ts';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.ts';
import { LOG_METRICS_NAMESPACE } from './log-metrics.ts';
import {
  type NewsletterBundlingProps,
  newsletterBundling,
  projectRoot,
} from './newsletter-bundling.ts';

export { afterBundlingCommands, projectRoot } from './newsletter-bundling.ts';

/** The Lambda entry points, named after their file in `lambdas/handlers/`. */
export type HandlerName =
  | 'http-api'
  | 'editor-api'
  | 'scheduled-issue'
  | 'send-batch'
  | 'ses-events';

/** Every function's service in Powertools' log lines and metrics (`POWERTOOLS_SERVICE_NAME`). */
export const POWERTOOLS_SERVICE = 'newsletter';

/** What a function reads (`read`) or also writes (`readWrite`). */
export type Access = 'read' | 'readWrite';

/** Anything the adapters find through one environment variable (tables.ts, resources.ts). */
export interface EnvNamed {
  env: string;
}

/**
 * A function's handler, settings and bundle contents (see {@link NewsletterBundlingProps}).
 */
export interface NewsletterFunctionProps extends NewsletterBundlingProps {
  /** The handler file in `lambdas/handlers/` (without `.ts`); it exports `handler`. */
  handler: HandlerName;
  description: string;
  /** The validated configuration, handed over as `NEWSLETTER_CONFIG_JSON`. */
  config: Config;
  /** Where mailed links point (the API's URL or the custom domain), as `NEWSLETTER_PUBLIC_BASE_URL`. */
  publicBaseUrl: string;
  /**
   * Where stored photos are served from (the media distribution), as
   * `NEWSLETTER_MEDIA_BASE_URL`: only for the functions that render photo addresses.
   * Default: none (the configuration's `mediaBaseUrl`, else `publicBaseUrl` + `/media`).
   */
  mediaBaseUrl?: string;
  /** Default: 30 seconds. */
  timeout?: Duration;
  /** In MB; CPU grows with it. Default: 512. */
  memorySize?: number;
}

const dynamoDbRead = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
] as const;
const dynamoDbWrite = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/** One of the item actions that `read` and `readWrite` grant on a table. */
export type DynamoDbAction = (typeof dynamoDbRead)[number] | (typeof dynamoDbWrite)[number];

/**
 * A Lambda function with this project's defaults: the handler bundled by esbuild on this
 * machine (ESM, minified, AWS SDK external), Node.js 24 on arm64, its own log group (kept a
 * year), a role that may write only to that log group, and the configuration in its
 * environment.
 * The `use*` helpers grant an access and set the variable that names the resource in one call,
 * so a function's environment names exactly what it may touch.
 */
export class NewsletterFunction extends NodejsFunction {
  /** The execution role: it may write to the function's log group and nothing else by default. */
  readonly executionRole: Role;
  /** The handler file this function runs. */
  readonly handlerName: HandlerName;
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, props: NewsletterFunctionProps) {
    const role = executionRole(scope, id, props.description);
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      // A year, as AWS Control Tower's CT.CLOUDWATCH.PR.2 asks: the logs hold no address.
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(logGroup).acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      reason:
        'CloudWatch Logs encrypts every log group at rest with its own keys, and the ' +
        'functions log no subscriber address; a customer managed key would add a key policy ' +
        'for the logs service and its cost, while IAM already decides who reads the logs.',
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      description: props.description,
      entry: `${projectRoot}lambdas/handlers/${props.handler}.ts`,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        [CONFIG_ENV]: JSON.stringify(props.config),
        [envNameOf('publicBaseUrl')]: props.publicBaseUrl,
        ...(props.mediaBaseUrl === undefined
          ? {}
          : { [envNameOf('mediaBaseUrl')]: props.mediaBaseUrl }),
        // Stack traces point into the TypeScript sources rather than the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools' Logger and Metrics: the `service` of every log line and the one
        // dimension of the send metrics, which go to the namespace of the other metrics.
        POWERTOOLS_SERVICE_NAME: POWERTOOLS_SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: LOG_METRICS_NAMESPACE,
      },
      bundling: newsletterBundling(props),
    });
    this.executionRole = role;
    this.handlerName = props.handler;
    Validations.of(this).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'The functions reach nothing but the public endpoints of AWS services (DynamoDB, S3, ' +
        'SQS, SES, Secrets Manager), each call signed and allowed by an IAM role scoped to ' +
        'its resources; a VPC would add NAT gateways or interface endpoints, their cost and ' +
        'slower cold starts, and no private network to protect.',
    });
    // Names the bundle in cdk.out for bench/bundles.bench.ts.
    Tags.of(this).add('newsletter:handler', props.handler);
  }

  /**
   * Lets the function use a DynamoDB table and names the table in the variable its adapter
   * reads.
   * @param access `read`, `readWrite`, or exactly the actions its adapter calls, for a function
   *   that needs far less than either (say, only `dynamodb:UpdateItem`)
   */
  useTable(
    table: ITable,
    definition: TableDefinition,
    access: Access | readonly DynamoDbAction[],
  ): this {
    const granted =
      access === 'read'
        ? [dynamoDbRead]
        : access === 'readWrite'
          ? [dynamoDbRead, dynamoDbWrite]
          : [access];
    for (const actions of granted) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: [...actions], resources: [table.tableArn] }),
      );
    }
    return this.name(definition.env, table.tableName);
  }

  /**
   * Lets the function read (and for `readWrite` write) the objects of a bucket and names the
   * bucket. Listing is allowed too, so that a missing key reads as "not found", not "denied".
   * @param keys the objects it may use, as S3 key patterns (`issues/*`, or several:
   *   `['issues/*', 'media/*']`). Default: all (`*`).
   */
  useBucket(
    bucket: IBucket,
    definition: EnvNamed,
    access: Access,
    keys: string | readonly string[] = '*',
  ): this {
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    const objects = (typeof keys === 'string' ? [keys] : keys).map((pattern) =>
      bucket.arnForObjects(pattern),
    );
    this.addToRolePolicy(
      new PolicyStatement({
        actions: access === 'readWrite' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
        resources: objects,
      }),
    );
    for (const resource of objects) {
      acknowledgeWildcardResource(
        this.executionRole,
        resource,
        'Object keys are made at run time (per issue, per photo); the grant is limited to ' +
          'this one bucket, these key prefixes and the object actions the function needs.',
      );
    }
    return this.name(definition.env, bucket.bucketName);
  }

  /**
   * Lets the function send messages to a queue (`send`: also read its attributes), or only
   * read its attributes such as its depth (`inspect`), and names the queue (its URL).
   */
  useQueue(queue: IQueue, definition: EnvNamed, access: 'send' | 'inspect' = 'send'): this {
    if (access === 'send') queue.grantSendMessages(this);
    else queue.grant(this, 'sqs:GetQueueAttributes');
    return this.name(definition.env, queue.queueUrl);
  }

  /**
   * Lets the function read a secret's value (`readWrite`: also store a new value, with
   * `secretsmanager:PutSecretValue` and nothing else) and names the secret (its ARN) in `env`.
   */
  useSecret(secret: ISecret, env: string, access: Access = 'read'): this {
    secret.grantRead(this);
    if (access === 'readWrite') {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:PutSecretValue'],
          resources: [secret.secretArn],
        }),
      );
    }
    return this.name(env, secret.secretArn);
  }

  /**
   * Lets the function send raw email through SES as `identity` and with the configuration set
   * `configurationSet`, and no other (SES authorizes a send against each of them).
   */
  allowSending(identity: string, configurationSet: string): this {
    const stack = Stack.of(this);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: configurationSet,
          }),
        ],
      }),
    );
    return this;
  }

  /** Lets the function read the account's SES sending quota (`MaxSendRate`), for pacing. */
  allowReadingSendQuota(): this {
    // GetSendQuota is an account-level action: IAM has no resource to scope it to.
    this.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetSendQuota'], resources: ['*'] }));
    acknowledgeWildcardResource(
      this.executionRole,
      '*',
      'ses:GetSendQuota is an account-level action that IAM cannot scope to a resource; it ' +
        'only reads the sending quota.',
    );
    return this;
  }

  /**
   * Runs the function on the messages of a queue, which it may then receive and delete.
   * Reports the batch's failed messages one by one, as every handler that reads a queue
   * returns them: the others are deleted rather than received again.
   */
  consumeQueue(queue: IQueue, options: { batchSize: number; maxConcurrency?: number }): this {
    this.addEventSource(new SqsEventSource(queue, { ...options, reportBatchItemFailures: true }));
    return this;
  }

  private name(env: string, value: string): this {
    if (this.names.has(env)) throw new Error(`${this.node.path}: ${env} is set twice`);
    this.names.add(env);
    this.addEnvironment(env, value);
    return this;
  }
}

/** A role that Lambda assumes, with no permission until the function is granted some. */
function executionRole(scope: Construct, id: string, description: string): Role {
  return new Role(scope, `${id}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `${description} (Lambda execution role)`,
  });
}
