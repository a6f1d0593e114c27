import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { buckets, type QueueDefinition, queues, topics } from '#adapters/resources.ts';
import { TOKEN_KEY_SECRET_ENV } from '#adapters/secrets-manager-token-key.ts';
import { tables } from '#adapters/tables.ts';
import { type Config, envNameOf } from '#core/common/config.ts';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { NewsletterFunction } from './newsletter-function.ts';
import type { StatefulStack } from './stateful-stack.ts';

/** The sender's timeout; the send queue's visibility timeout is six times this. */
const SENDER_TIMEOUT = Duration.minutes(2);

/** Requests per second the public API takes on average, and in a burst. */
const API_THROTTLE = { rateLimit: 100, burstLimit: 200 };

/**
 * SES puts an account under review at a 5% bounce rate or a 0.1% complaint rate; the alarms
 * fire at four fifths of that, while there is still time to act.
 */
const REPUTATION_ALARMS = { bounceRate: 0.04, complaintRate: 0.0008 };

/**
 * Oldest message age that raises an alarm, in seconds. SES events must be consumed within
 * minutes, since unknown sends wait for them. A paced send legitimately keeps pages waiting
 * for hours (a million recipients at 14 messages a second take 20 hours).
 */
const MAX_MESSAGE_AGE = { sesEvents: 15 * 60, send: 36 * 60 * 60 };

export interface StatelessStackProps extends StackProps {
  config: Config;
  settings: DeploymentSettings;
  stateful: StatefulStack;
}

/**
 * Everything that can be replaced at will: the functions, the public HTTP API, the schedule,
 * the queues, the SES configuration set with its event destination, and the alarms.
 */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly functions: {
    httpApi: NewsletterFunction;
    issueBuilder: NewsletterFunction;
    sender: NewsletterFunction;
    sesEvents: NewsletterFunction;
  };
  /** The base of every mailed link: the custom domain, else the API's own URL. */
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, settings, stateful } = props;
    const t = stateful.tables;

    // One customer managed key for both topics: SES and CloudWatch cannot publish to a topic
    // encrypted with the AWS managed SNS key. Who may publish is decided by each topic's
    // policy (SES: only this configuration set; CloudWatch: only this account's alarms); the
    // key only lets those services encrypt, as AWS documents for encrypted topics.
    const topicKey = new Key(this, 'TopicKey', {
      description: 'Encrypts the SES events and alarm topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        principals: [
          new ServicePrincipal('ses.amazonaws.com'),
          new ServicePrincipal('cloudwatch.amazonaws.com'),
        ],
        resources: ['*'],
      }),
    );

    // --- Public HTTP API -----------------------------------------------------------------
    const domain = settings.customDomain
      ? new DomainName(this, 'CustomDomain', {
          domainName: settings.customDomain.domainName,
          certificate: Certificate.fromCertificateArn(
            this,
            'CustomDomainCertificate',
            settings.customDomain.certificateArn,
          ),
        })
      : undefined;
    this.api = new HttpApi(this, 'PublicApi', {
      description: `${config.listName}: subscribe, confirm, unsubscribe and the archive`,
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'PublicApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'PublicApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      ...(domain ? { domainMapping: { domainName: domain } } : {}),
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // The path only, never the query string: it carries subscriber tokens.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            time: AccessLogField.contextRequestTime(),
            ip: AccessLogField.contextIdentitySourceIp(),
            method: AccessLogField.contextHttpMethod(),
            route: '$context.routeKey',
            path: AccessLogField.contextPath(),
            status: '$context.status',
            protocol: AccessLogField.contextProtocol(),
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            caller: AccessLogField.contextIdentityUserArn(),
          }),
        ),
      },
    });
    // The API's URL is built from its id alone, so the functions can learn it without
    // depending on the stage, the routes or the integrations that depend on them.
    this.publicBaseUrl = settings.customDomain
      ? `https://${settings.customDomain.domainName}`
      : `https://${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;

    // --- Queues --------------------------------------------------------------------------
    const sendQueues = queueWithDeadLetter(this, 'Send', queues.send, SENDER_TIMEOUT);
    const sesEventsTimeout = Duration.seconds(30);
    const sesEventsQueues = queueWithDeadLetter(
      this,
      'SesEvents',
      queues.sesEvents,
      sesEventsTimeout,
    );

    // --- SES configuration set and its events ------------------------------------------
    const configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: config.configurationSet,
      reputationMetrics: true,
    });
    const eventsTopic = new Topic(this, 'SesEventsTopic', {
      displayName: 'SES events of the newsletter',
      masterKey: topicKey,
      enforceSSL: true,
    });
    new ConfigurationSetEventDestination(this, 'SesEventDestination', {
      configurationSet,
      destination: EventDestination.snsTopic(eventsTopic),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
      ],
    });
    // Raw message delivery stays off: the handler reads the SNS envelope, as it does locally.
    eventsTopic.addSubscription(new SqsSubscription(sesEventsQueues.queue));

    // --- Functions -----------------------------------------------------------------------
    const common = { config, publicBaseUrl: this.publicBaseUrl };

    // Each function gets the resources its handler's adapters use, and no others.
    const templates = { folder: 'templates', extensions: ['.hbs'] };
    const httpApi = new NewsletterFunction(this, 'HttpApiFunction', {
      ...common,
      handler: 'http-api',
      description: 'Public HTTP API: subscribe, confirm, unsubscribe, the archive',
      timeout: Duration.seconds(10),
      memorySize: 512,
      // The archive's page templates are read at run time from beside the bundle.
      copyIntoBundle: templates,
    })
      .useTable(t.subscribers, tables.subscribers, 'readWrite')
      .useTable(t.suppressions, tables.suppressions, 'readWrite')
      .useTable(t.articles, tables.articles, 'read')
      .useBucket(stateful.archiveBucket, buckets.archive, 'read')
      .useSecret(stateful.tokenKey, TOKEN_KEY_SECRET_ENV)
      .allowSending(settings.sesIdentity, config.configurationSet);

    const issueBuilder = new NewsletterFunction(this, 'IssueBuilderFunction', {
      ...common,
      handler: 'scheduled-issue',
      description: 'Plans and renders an issue once, then queues its recipients in pages',
      timeout: Duration.minutes(15),
      memorySize: 1769,
      // One process prepares an issue at a time (see the handler).
      reservedConcurrency: 1,
      // MJML can load a TypeScript config file, which this code never has.
      externalModules: ['typescript'],
      // cheerio (under MJML and juice) fetches and decodes documents with these; MJML only
      // parses strings. Together about 1.5 MB of bundle.
      omitModules: ['undici', 'encoding-sniffer'],
      // The digest's templates are read at run time from beside the bundle.
      copyIntoBundle: templates,
    })
      .useTable(t.articles, tables.articles, 'read')
      .useTable(t.subscribers, tables.subscribers, 'read')
      .useTable(t.issues, tables.issues, 'readWrite')
      .useTable(t.sends, tables.sends, 'readWrite')
      .useBucket(stateful.archiveBucket, buckets.archive, 'readWrite')
      .useQueue(sendQueues.queue, queues.send)
      .allowReadingSendQuota();

    const sender = new NewsletterFunction(this, 'SenderFunction', {
      ...common,
      handler: 'send-batch',
      description: 'Sends pages of an issue, each recipient claimed in the ledger first',
      timeout: SENDER_TIMEOUT,
      memorySize: 512,
    })
      // It also carries on queueing a large issue's pages where the builder stopped.
      .useTable(t.issues, tables.issues, 'readWrite')
      .useTable(t.sends, tables.sends, 'readWrite')
      .useTable(t.subscribers, tables.subscribers, 'read')
      .useBucket(stateful.archiveBucket, buckets.archive, 'read')
      // Recipients to look at again later go back on the queue (with a delay), and so do the
      // next pages of an issue too large to queue in one go.
      .useQueue(sendQueues.queue, queues.send)
      // An unknown outcome may only be resent once no SES event waits to be applied.
      .useQueue(sesEventsQueues.queue, queues.sesEvents, 'inspect')
      .useQueue(sesEventsQueues.deadLetter, queues.sesEvents.deadLetter, 'inspect')
      .useSecret(stateful.tokenKey, TOKEN_KEY_SECRET_ENV)
      .allowSending(settings.sesIdentity, config.configurationSet);
    sender.addEventSource(
      new SqsEventSource(sendQueues.queue, {
        batchSize: 1,
        maxConcurrency: config.sendConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    const sesEvents = new NewsletterFunction(this, 'SesEventsFunction', {
      ...common,
      handler: 'ses-events',
      description: 'Applies SES send, delivery, bounce and complaint events; suppresses',
      timeout: sesEventsTimeout,
      memorySize: 256,
    })
      .useTable(t.subscribers, tables.subscribers, 'readWrite')
      .useTable(t.suppressions, tables.suppressions, 'readWrite')
      .useTable(t.sends, tables.sends, 'readWrite')
      .useSecret(stateful.tokenKey, TOKEN_KEY_SECRET_ENV);
    sesEvents.addEventSource(
      new SqsEventSource(sesEventsQueues.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
      }),
    );
    this.functions = { httpApi, issueBuilder, sender, sesEvents };

    // --- Routes --------------------------------------------------------------------------
    const integration = new HttpLambdaIntegration('PublicApp', httpApi);
    const publicRoutes = [
      ...this.api.addRoutes({ path: '/', methods: [HttpMethod.GET], integration }),
      ...this.api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration }),
    ];
    for (const route of publicRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The public app is for anyone: RFC 8058 forbids authorization on one-click ' +
          'unsubscribe, and subscribe, confirm and the archive are public pages. Editor ' +
          'routes live under /editor, behind IAM authorization.',
      });
    }
    // /editor is reserved for editor routes and takes only signed (SigV4) requests, so that
    // no editor route can ever be served to the public by accident. API Gateway matches the
    // most specific route, so these win over /{proxy+}.
    const editorAuthorizer = new HttpIamAuthorizer();
    for (const path of ['/editor', '/editor/{proxy+}']) {
      this.api.addRoutes({
        path,
        methods: [HttpMethod.ANY],
        integration,
        authorizer: editorAuthorizer,
      });
    }

    // --- Schedule ------------------------------------------------------------------------
    const scheduleDeadLetter = new Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(scheduleDeadLetter).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue: the schedule’s, for failed invocations.',
    });
    const schedulerRole = new Role(this, 'IssueScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Lets the schedule invoke the issue builder',
    });
    acknowledgeWildcardResource(
      schedulerRole,
      `${issueBuilder.functionArn}:*`,
      'Granted by the scheduler target: the builder’s own versions and aliases, nothing else.',
    );
    new Schedule(this, 'IssueSchedule', {
      description: 'Builds and sends the next issue',
      schedule: ScheduleExpression.expression(
        config.scheduleExpression,
        TimeZone.of(config.scheduleTimeZone),
      ),
      target: new LambdaInvoke(issueBuilder, {
        role: schedulerRole,
        deadLetterQueue: scheduleDeadLetter,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });

    // --- Alarms --------------------------------------------------------------------------
    const alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Newsletter alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    // The topic's own policy (written for enforceSSL) replaces SNS's default one, so the
    // account's alarms are allowed to publish explicitly.
    alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: [alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`,
          },
        },
      }),
    );
    if (settings.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(settings.alarmEmail));
    const alarmAction = new SnsAction(alarmTopic);
    const alarm = (id: string, metric: IMetric, threshold: number, description: string) => {
      new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(alarmAction);
    };
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Maximum' };
    for (const [name, deadLetter] of [
      ['Send', sendQueues.deadLetter],
      ['SesEvents', sesEventsQueues.deadLetter],
      ['Schedule', scheduleDeadLetter],
    ] as const) {
      alarm(
        `${name}DeadLetterAlarm`,
        deadLetter.metricApproximateNumberOfMessagesVisible(fiveMinutes),
        1,
        `Messages in the ${name} dead-letter queue: look at them, fix the cause, redrive.`,
      );
    }
    alarm(
      'SendQueueAgeAlarm',
      sendQueues.queue.metricApproximateAgeOfOldestMessage(fiveMinutes),
      MAX_MESSAGE_AGE.send,
      'A page of recipients has waited too long to be sent: is the sender failing?',
    );
    alarm(
      'SesEventsQueueAgeAlarm',
      sesEventsQueues.queue.metricApproximateAgeOfOldestMessage(fiveMinutes),
      MAX_MESSAGE_AGE.sesEvents,
      'SES events are not being consumed: bounces go unsuppressed, unknown sends unresolved.',
    );
    alarm(
      'IssueBuilderErrorsAlarm',
      issueBuilder.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      1,
      'The scheduled issue failed: see the issue builder’s log; the next run resumes it.',
    );
    const reputation = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        statistic: 'Maximum',
        period: Duration.hours(1),
      });
    alarm(
      'BounceRateAlarm',
      reputation('Reputation.BounceRate'),
      REPUTATION_ALARMS.bounceRate,
      'Bounce rate nears the 5% at which SES reviews the account: clean the list.',
    );
    alarm(
      'ComplaintRateAlarm',
      reputation('Reputation.ComplaintRate'),
      REPUTATION_ALARMS.complaintRate,
      'Complaint rate nears the 0.1% at which SES reviews the account.',
    );

    // --- Outputs: what the CLI needs to work against this deployment -------------------
    // Each variable the adapters read, as the functions get it, plus the region.
    const environment: Record<string, string> = {
      AWS_REGION: this.region,
      [envNameOf('publicBaseUrl')]: this.publicBaseUrl,
      [buckets.archive.env]: stateful.archiveBucket.bucketName,
      [queues.send.env]: sendQueues.queue.queueUrl,
      [queues.send.deadLetter.env]: sendQueues.deadLetter.queueUrl,
      [queues.sesEvents.env]: sesEventsQueues.queue.queueUrl,
      [queues.sesEvents.deadLetter.env]: sesEventsQueues.deadLetter.queueUrl,
      [topics.sesEvents.env]: eventsTopic.topicArn,
      [TOKEN_KEY_SECRET_ENV]: stateful.tokenKey.secretArn,
    };
    for (const [key, definition] of Object.entries(tables)) {
      environment[definition.env] = t[key as keyof typeof t].tableName;
    }
    for (const [name, value] of Object.entries(environment)) {
      new CfnOutput(this, name.replace(/_/g, ''), { value, description: name });
    }
    new CfnOutput(this, 'CliEnvironment', {
      value: Object.entries(environment)
        .map(([name, value]) => `${name}=${value}`)
        .join(' '),
      description: 'All of the above as NAME=value pairs, for `export $(…)` in a shell',
    });
    new CfnOutput(this, 'ApiEndpoint', {
      value: this.api.apiEndpoint,
      description: 'The HTTP API’s own endpoint (the links use NEWSLETTER_PUBLIC_BASE_URL)',
    });
    if (domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: domain.regionalDomainName,
        description: `Point ${settings.customDomain?.domainName} here (CNAME, or an alias record)`,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarmTopic.topicArn,
      description: 'Subscribe here to receive the alarms',
    });
  }
}

/** A queue with SSE, TLS enforced and a dead-letter queue, as `resources.ts` describes it. */
function queueWithDeadLetter(
  scope: Construct,
  id: string,
  definition: QueueDefinition,
  consumerTimeout: Duration,
) {
  const common = {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // A paced send of a large list takes days; the default four would drop its pages.
    retentionPeriod: Duration.days(14),
  };
  const deadLetter = new Queue(scope, `${id}DeadLetterQueue`, common);
  const queue = new Queue(scope, `${id}Queue`, {
    ...common,
    // Lambda's advice for SQS event sources: six times the function's timeout.
    visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * 6),
    deadLetterQueue: { queue: deadLetter, maxReceiveCount: definition.deadLetter.maxReceiveCount },
  });
  return { queue, deadLetter };
}
