import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, type IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { queues } from '#adapters/resources.ts';
import { type Config, envNameOf } from '#core/common/config.ts';
import { EDITOR_API_URL_ENV } from '#core/editor/editor-routes.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { issueSchedule } from './issue-schedule.ts';
import { logMetrics } from './log-metrics.ts';
import { newsletterAlarms } from './newsletter-alarms.ts';
import { newsletterDashboard } from './newsletter-dashboard.ts';
import {
  type NewsletterFunctions,
  newsletterFunctions,
  SENDER_TIMEOUT,
  SES_EVENTS_TIMEOUT,
} from './newsletter-functions.ts';
import {
  type EditorRolePolicies,
  editorApiBaseUrl,
  editorRolePolicies,
  routeEditorApi,
  routePublicApp,
} from './public-api.ts';
import { queueWithDeadLetter } from './queue-with-dead-letter.ts';
import { sesEventDestination } from './ses-event-destination.ts';
import type { StatefulStack } from './stateful-stack.ts';

export { TEMPLATE_BUILDS, TEMPLATE_FILES } from './newsletter-functions.ts';

export interface StatelessStackProps extends StackProps {
  /** The validated configuration, handed to every function. */
  config: Config;
  /** The SES identity and alarm address (the custom domain is the stateful stack's). */
  settings: DeploymentSettings;
  /** The tables, bucket and key secret the functions use, and the public API they answer. */
  stateful: StatefulStack;
}

/**
 * Everything that can be replaced at will: the functions, the routes of the public HTTP API
 * (the API itself, its stage and domain are the stateful stack's), the schedule, the queues,
 * the SES configuration set with its event destination, the alarms and the dashboard.
 */
export class StatelessStack extends Stack {
  /** The stateful stack's public API, as this stack refers to it (through that stack's outputs). */
  readonly api: IHttpApi;
  readonly functions: NewsletterFunctions;
  /** The IAM policies that let a principal call the editor API as a viewer, editor or sender. */
  readonly editorPolicies: EditorRolePolicies;
  /** The base of every mailed link: the stateful stack's custom domain, else its API's URL. */
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, settings, stateful } = props;
    const topicKey = this.topicKey(config.configurationSet);
    // The API as an import, so that the routes, integrations and permissions added to it are
    // this stack's resources, and the stateful stack refers to nothing of this one.
    const api = HttpApi.fromHttpApiAttributes(this, 'PublicApi', {
      httpApiId: stateful.publicApi.api.apiId,
      apiEndpoint: stateful.publicApi.api.apiEndpoint,
    });
    this.api = api;
    const { publicBaseUrl } = stateful.publicApi;
    this.publicBaseUrl = publicBaseUrl;
    const sendQueues = queueWithDeadLetter(this, 'Send', queues.send, SENDER_TIMEOUT);
    const sesEventsQueues = queueWithDeadLetter(
      this,
      'SesEvents',
      queues.sesEvents,
      SES_EVENTS_TIMEOUT,
    );
    sesEventDestination(this, {
      configurationSetName: config.configurationSet,
      topicKey,
      queue: sesEventsQueues.queue,
      trackEngagement: config.trackEngagement,
    });
    this.functions = newsletterFunctions(this, {
      config,
      settings,
      stateful,
      publicBaseUrl,
      mediaBaseUrl: stateful.media.mediaBaseUrl,
      sendQueues,
      sesEventsQueues,
    });
    routePublicApp(api, this.functions.httpApi);
    routeEditorApi(api, this.functions.editorApi);
    this.editorPolicies = editorRolePolicies(this, api);
    const scheduleDeadLetter = issueSchedule(this, config, this.functions.issueBuilder);
    const metrics = logMetrics(this, this.functions);
    const alarmTopic = newsletterAlarms(this, {
      topicKey,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
      sendQueues,
      sesEventsQueues,
      scheduleDeadLetter,
      issueBuilder: this.functions.issueBuilder,
      api,
      publicApp: this.functions.httpApi,
      metrics,
      pausedAlarmHours: config.pausedAlarmHours,
    });
    const dashboard = newsletterDashboard(this, {
      api,
      functions: this.functions,
      sendQueues,
      sesEventsQueues,
      scheduleDeadLetter,
      metrics,
    });
    this.addOutputs({
      stateful,
      alarmTopic,
      dashboardName: dashboard.dashboardName,
    });
  }

  /**
   * One customer managed key for both topics: SES and CloudWatch cannot publish to a topic
   * encrypted with the AWS managed SNS key. Who may publish is decided by each topic's
   * policy (SES: only this configuration set; CloudWatch: only this account's alarms); the
   * key lets those services encrypt, as AWS documents for encrypted topics, and only on
   * behalf of the same configuration set and alarms: each service names them in the
   * `aws:SourceAccount` and `aws:SourceArn` of its requests, so that another account's
   * configuration set or alarm cannot have the service use this key (the confused deputy).
   * No one may create a grant on the key, except AWS services for AWS resources.
   */
  private topicKey(configurationSetName: string): Key {
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the SES events and alarm topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const encrypt = ['kms:GenerateDataKey*', 'kms:Decrypt'];
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SesEncryptsEventsOfTheConfigurationSet',
        actions: encrypt,
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'aws:SourceAccount': this.account,
            'aws:SourceArn': this.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: configurationSetName,
            }),
          },
        },
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchEncryptsAlarmsOfThisAccount',
        actions: encrypt,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`,
          },
        },
      }),
    );
    // A grant lets its grantee use the key whatever this policy says, so only AWS services may
    // create one, for an AWS resource (AWS Control Tower's CT.KMS.PR.3).
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'GrantsOnlyForAwsResources',
        effect: Effect.DENY,
        actions: ['kms:CreateGrant'],
        principals: [new AnyPrincipal()],
        resources: ['*'],
        conditions: {
          BoolIfExists: {
            'kms:GrantIsForAWSResource': 'false',
            'aws:PrincipalIsAWSService': 'false',
          },
        },
      }),
    );
    return key;
  }

  /**
   * What the CLI needs to work against this deployment (the editor API's base URL, the region,
   * the public and media addresses), each alone and all as `CliEnvironment`; then the editor
   * roles' policies, the alarm topic and the dashboard's name. The API's endpoint and the
   * custom domain's target are the stateful stack's outputs.
   */
  private addOutputs(resources: {
    stateful: StatefulStack;
    alarmTopic: ITopic;
    dashboardName: string;
  }): void {
    const { stateful, alarmTopic } = resources;
    // What the CLI and the studio need with NEWSLETTER_TARGET=aws: they reach the stack only
    // through its editor API, signed with SigV4 for AWS_REGION (the API's own endpoint, which
    // IAM authorization answers on whether or not a custom domain is set), never its tables,
    // bucket or queues. The addresses are for the studio's previews and for people.
    const environment: Record<string, string> = {
      AWS_REGION: this.region,
      [EDITOR_API_URL_ENV]: editorApiBaseUrl(this.api),
      [envNameOf('publicBaseUrl')]: this.publicBaseUrl,
      [envNameOf('mediaBaseUrl')]: stateful.media.mediaBaseUrl,
    };
    for (const [name, value] of Object.entries(environment)) {
      new CfnOutput(this, name.replace(/_/g, ''), { value, description: name });
    }
    new CfnOutput(this, 'CliEnvironment', {
      value: Object.entries(environment)
        .map(([name, value]) => `${name}=${value}`)
        .join(' '),
      description: 'All of the above as NAME=value pairs, for `export $(…)` in a shell',
    });
    for (const [role, policy] of Object.entries(this.editorPolicies)) {
      new CfnOutput(this, `Editor${role[0]?.toUpperCase()}${role.slice(1)}PolicyArn`, {
        value: policy.managedPolicyArn,
        description: `Attach to let a user, group or role call the editor API as a ${role}`,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarmTopic.topicArn,
      description: 'Subscribe here to receive the alarms',
    });
    new CfnOutput(this, 'DashboardName', {
      value: resources.dashboardName,
      description: 'The CloudWatch dashboard of the send, the queues, the errors and the API',
    });
  }
}
