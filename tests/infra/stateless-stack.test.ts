import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets, queues } from '#adapters/resources.ts';
import { LINK_KEYS_SECRET_ENV } from '#adapters/secrets-manager-link-keys.ts';
import { TOKEN_KEY_SECRET_ENV } from '#adapters/secrets-manager-token-key.ts';
import { tables } from '#adapters/tables.ts';
import { inStatefulTerms } from './in-stateful-terms.ts';
import { committedConfig, type SynthesizedApp, synthApp } from './support/synth-app.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let synthesized: SynthesizedApp;
let resources: Record<string, Resource>;
beforeAll(() => {
  synthesized = synthApp();
  resources = synthesized.statelessTemplate.toJSON().Resources;
});
afterAll(() => synthesized.cleanUp());

const logicalId = (element: unknown) => synthesized.stateless.getLogicalId(element as CfnElement);
const statefulId = (element: unknown) => synthesized.stateful.getLogicalId(element as CfnElement);
const functionsByName = () => Object.entries(synthesized.stateless.functions);

function resourceOf(fn: NodejsFunction): Resource {
  const found = resources[logicalId(fn.node.defaultChild)];
  if (!found) throw new Error(`no resource for ${fn.node.path}`);
  return found;
}

function environmentOf(fn: NodejsFunction): Record<string, unknown> {
  return (resourceOf(fn).Properties.Environment as { Variables: Record<string, unknown> })
    .Variables;
}

/** Every statement of the policies attached to the function's role. */
function statementsOf(fn: NodejsFunction): Statement[] {
  const role = logicalId(fn.role?.node.defaultChild);
  return Object.values(resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(resource.Properties.Roles) === JSON.stringify([{ Ref: role }]),
    )
    .flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe('the functions', () => {
  it('all run Node.js 24 on arm64', () => {
    for (const [, fn] of functionsByName()) {
      expect(resourceOf(fn).Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
  });

  it('all receive the validated configuration, and the public base URL from the stateful stack', () => {
    const api = statefulId(synthesized.stateful.publicApi.api.node.defaultChild);
    for (const [, fn] of functionsByName()) {
      const environment = environmentOf(fn);

      expect(JSON.parse(String(environment.NEWSLETTER_CONFIG_JSON))).toEqual(committedConfig);
      expect(
        JSON.stringify(inStatefulTerms(synthesized, environment.NEWSLETTER_PUBLIC_BASE_URL)),
      ).toContain(JSON.stringify({ Ref: api }));
    }
  });

  it('name in their environment exactly the tables their role can reach', () => {
    for (const [name, fn] of functionsByName()) {
      const policy = JSON.stringify(statementsOf(fn));
      const environment = environmentOf(fn);

      for (const [key, definition] of Object.entries(tables)) {
        const table = synthesized.stateful.tables[key as keyof typeof tables];
        const reachable = policy.includes(statefulId(table.node.defaultChild));
        expect({ name, table: key, named: definition.env in environment }).toEqual({
          name,
          table: key,
          named: reachable,
        });
      }
    }
  });

  it('name the bucket, the keys and the send queue exactly when their role can use them', () => {
    for (const [name, fn] of functionsByName()) {
      const statements = statementsOf(fn);
      const environment = environmentOf(fn);
      const reaches = (id: string, action: string) =>
        statements.some(
          (statement) =>
            actionsOf(statement).includes(action) && JSON.stringify(statement).includes(id),
        );
      const bucket = statefulId(synthesized.stateful.archiveBucket.node.defaultChild);
      const secret = statefulId(synthesized.stateful.tokenKey.node.defaultChild);
      const linkKeys = statefulId(synthesized.stateful.linkKeys.node.defaultChild);
      const sendQueue = logicalId(
        synthesized.stateless.node.findChild('SendQueue').node.defaultChild,
      );

      expect({ name, bucket: buckets.archive.env in environment }).toEqual({
        name,
        bucket: reaches(bucket, 's3:GetObject'),
      });
      expect({ name, secret: TOKEN_KEY_SECRET_ENV in environment }).toEqual({
        name,
        secret: reaches(secret, 'secretsmanager:GetSecretValue'),
      });
      expect({ name, linkKeys: LINK_KEYS_SECRET_ENV in environment }).toEqual({
        name,
        linkKeys: reaches(linkKeys, 'secretsmanager:GetSecretValue'),
      });
      expect({ name, sendQueue: queues.send.env in environment }).toEqual({
        name,
        sendQueue: reaches(sendQueue, 'sqs:SendMessage'),
      });
    }
  });

  it('let the functions that sign or check subscriber links read the link keys, and only the editor API change them', () => {
    const linkKeys = statefulId(synthesized.stateful.linkKeys.node.defaultChild);
    const acting = (action: string) =>
      functionsByName()
        .filter(([, fn]) =>
          statementsOf(fn).some(
            (statement) =>
              actionsOf(statement).includes(action) && JSON.stringify(statement).includes(linkKeys),
          ),
        )
        .map(([name]) => name)
        .sort();

    // The events handler hashes addresses (the hash key) and signs no link.
    expect(acting('secretsmanager:GetSecretValue')).toEqual([
      'editorApi',
      'httpApi',
      'issueBuilder',
      'sender',
    ]);
    expect(acting('secretsmanager:PutSecretValue')).toEqual(['editorApi']);
  });

  it('give the sender no access to the articles, and the events handler no bucket', () => {
    const { sender, sesEvents } = synthesized.stateless.functions;

    expect(environmentOf(sender)).not.toHaveProperty(tables.articles.env);
    expect(environmentOf(sesEvents)).not.toHaveProperty(buckets.archive.env);
  });

  it('let the events handler write the issues, which it pauses', () => {
    const { sesEvents } = synthesized.stateless.functions;
    const issues = statefulId(synthesized.stateful.tables.issues.node.defaultChild);
    const granted = statementsOf(sesEvents)
      .filter((statement) => JSON.stringify(statement.Resource).includes(issues))
      .flatMap(actionsOf);

    expect(environmentOf(sesEvents)).toHaveProperty(tables.issues.env);
    expect(granted).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem']));
  });

  it('let the public app only update items of the sends table, to count an unsubscribe', () => {
    const { httpApi } = synthesized.stateless.functions;
    const sends = statefulId(synthesized.stateful.tables.sends.node.defaultChild);
    const onSends = statementsOf(httpApi).filter((statement) =>
      JSON.stringify(statement.Resource).includes(sends),
    );

    expect(environmentOf(httpApi)).toHaveProperty(tables.sends.env);
    expect(onSends.flatMap(actionsOf)).toEqual(['dynamodb:UpdateItem']);
    for (const statement of onSends) expect(statement.Effect).toBe('Allow');
  });

  it('name a queue only for a function whose role may use it', () => {
    for (const [name, fn] of functionsByName()) {
      const policy = JSON.stringify(statementsOf(fn));
      const environment = environmentOf(fn);

      for (const [id, definition] of [
        ['SendQueue', queues.send],
        ['SendDeadLetterQueue', queues.send.deadLetter],
        ['SesEventsQueue', queues.sesEvents],
        ['SesEventsDeadLetterQueue', queues.sesEvents.deadLetter],
      ] as const) {
        const queue = logicalId(synthesized.stateless.node.findChild(id).node.defaultChild);
        if (definition.env in environment) {
          expect({ name, queue: id, reachable: policy.includes(queue) }).toEqual({
            name,
            queue: id,
            reachable: true,
          });
        }
      }
    }
  });

  it('let only the sender, the editor API (test sends) and the builder (the tick’s confirmations) send email: the public app queues sign-ups', () => {
    const senders = functionsByName()
      .filter(([, fn]) =>
        statementsOf(fn).some((statement) => actionsOf(statement).includes('ses:SendRawEmail')),
      )
      .map(([name]) => name)
      .sort();

    expect(senders).toEqual(['editorApi', 'issueBuilder', 'sender']);
  });

  it('scope ses:SendRawEmail to the sending identity and the configuration set, nothing else', () => {
    const { sender } = synthesized.stateless.functions;
    const sending = statementsOf(sender).filter((statement) =>
      actionsOf(statement).includes('ses:SendRawEmail'),
    );

    expect(sending).toHaveLength(1);
    expect(actionsOf(sending[0] as Statement)).toEqual(['ses:SendRawEmail']);
    const scope = JSON.stringify((sending[0] as Statement).Resource);
    expect(scope).toContain(`:identity/${committedConfig.fromEmail.split('@')[1]}"`);
    expect(scope).toContain(`:configuration-set/${committedConfig.configurationSet}"`);
    expect((sending[0] as Statement).Resource).toHaveLength(2);
  });

  it('reserve no concurrency, which an account whose quota is 10 cannot give', () => {
    const functions = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );

    expect(functions.length).toBeGreaterThanOrEqual(functionsByName().length);
    for (const fn of functions) {
      expect(fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    }
  });

  it('keep their logs a year', () => {
    for (const [name, fn] of functionsByName()) {
      const logs = resources[logicalId(fn.logGroup.node.defaultChild)];
      expect({ name, days: logs?.Properties.RetentionInDays }).toEqual({ name, days: 365 });
    }
  });
});

describe('the send queue', () => {
  it('hands a message to its dead-letter queue after at least five receives', () => {
    synthesized.statelessTemplate.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: Match.anyValue(),
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^SendDeadLetterQueue'), 'Arn'],
        },
        maxReceiveCount: Match.anyValue(),
      },
    });
    const queue =
      resources[logicalId(synthesized.stateless.node.findChild('SendQueue').node.defaultChild)];
    const redrive = queue?.Properties.RedrivePolicy as { maxReceiveCount: number };
    expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
  });

  it('waits at least six times the sender’s timeout before redelivering', () => {
    const queue =
      resources[logicalId(synthesized.stateless.node.findChild('SendQueue').node.defaultChild)];
    const sender = resourceOf(synthesized.stateless.functions.sender);

    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * Number(sender.Properties.Timeout),
    );
  });

  it('feeds the sender with the configured maximum concurrency and partial batch failures', () => {
    synthesized.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(synthesized.stateless.functions.sender.node.defaultChild) },
      ScalingConfig: { MaximumConcurrency: committedConfig.sendConcurrency },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('like every queue here, is encrypted, takes only TLS and keeps messages 14 days', () => {
    const queueIds = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
      .map(([id]) => id);

    expect(queueIds.length).toBeGreaterThanOrEqual(5);
    for (const id of queueIds) {
      expect(resources[id]?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 60 * 60,
      });
      synthesized.statelessTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('SES events', () => {
  it('are published by the configuration set for send, delivery, bounce, complaint, reject and delay', () => {
    synthesized.statelessTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: committedConfig.configurationSet,
    });
    synthesized.statelessTemplate.hasResourceProperties(
      'AWS::SES::ConfigurationSetEventDestination',
      {
        ConfigurationSetName: { Ref: Match.stringLikeRegexp('^ConfigurationSet') },
        EventDestination: {
          Enabled: true,
          // No open or click: the committed configuration tracks no engagement.
          MatchingEventTypes: [
            'send',
            'delivery',
            'bounce',
            'complaint',
            'reject',
            'deliveryDelay',
          ],
          SnsDestination: { TopicARN: { Ref: Match.stringLikeRegexp('^SesEventsTopic') } },
        },
      },
    );
  });

  it('reach the events queue as SNS envelopes (raw delivery off)', () => {
    const subscription = synthesized.statelessTemplate.findResources('AWS::SNS::Subscription', {
      Properties: { Protocol: 'sqs', TopicArn: { Ref: Match.stringLikeRegexp('^SesEventsTopic') } },
    });

    expect(Object.values(subscription)).toHaveLength(1);
    const properties = Object.values(subscription)[0]?.Properties as Record<string, unknown>;
    expect(JSON.stringify(properties.Endpoint)).toContain('SesEventsQueue');
    expect(properties.RawMessageDelivery).not.toBe(true);
  });

  it('are consumed by the events handler, reporting partial batch failures', () => {
    synthesized.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(synthesized.stateless.functions.sesEvents.node.defaultChild) },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SesEventsQueue'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('the routes of the public HTTP API (public-api.test.ts: the API, its stage and domain)', () => {
  const routes = () =>
    Object.values(synthesized.statelessTemplate.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties as { RouteKey: string; AuthorizationType?: string },
    );

  it('serves the public app to anyone', () => {
    const open = routes().filter((route) => (route.AuthorizationType ?? 'NONE') === 'NONE');

    expect(open.map((route) => route.RouteKey).sort()).toEqual(['ANY /{proxy+}', 'GET /']);
  });

  it('keeps every /editor route behind IAM authorization (editor-api.test.ts: which routes)', () => {
    const editor = routes().filter((route) => route.RouteKey.includes('/editor'));

    expect(editor.map((route) => route.RouteKey)).toEqual(
      expect.arrayContaining(['ANY /editor', 'ANY /editor/{proxy+}']),
    );
    for (const route of editor) expect(route.AuthorizationType).toBe('AWS_IAM');
  });

  it('may invoke the functions only from this account, each route its own', () => {
    const permissions = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Permission')
      .map((resource) => resource.Properties);
    const api = statefulId(synthesized.stateful.publicApi.api.node.defaultChild);

    expect(permissions.length).toBe(routes().length);
    for (const permission of permissions) {
      expect(permission).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
      expect(JSON.stringify(inStatefulTerms(synthesized, permission.SourceArn))).toContain(
        JSON.stringify({ Ref: api }),
      );
    }
  });
});

/** A template value as text: `Fn::Join` joined, each `Ref` written `${Name}`. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  const { Ref: ref, 'Fn::Join': join } = value as {
    Ref?: string;
    'Fn::Join'?: [string, unknown[]];
  };
  if (ref !== undefined) return `\${${ref}}`;
  if (join !== undefined) return join[1].map(asText).join(join[0]);
  return JSON.stringify(value);
}

describe('the topic key', () => {
  type KeyStatement = {
    Effect: string;
    Principal: unknown;
    Action: string | string[];
    Resource: unknown;
    Condition?: Record<string, Record<string, unknown>>;
  };
  const statements = () => {
    const key =
      resources[logicalId(synthesized.stateless.node.findChild('TopicKey').node.defaultChild)];
    const policy = key?.Properties.KeyPolicy as { Statement: KeyStatement[] } | undefined;
    return policy?.Statement ?? [];
  };
  const grantedTo = (service: string) =>
    statements().filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        JSON.stringify(statement.Principal) === JSON.stringify({ Service: service }),
    );
  const thisAccount = { Ref: 'AWS::AccountId' };
  // As the template gives them: `aws` and a region, or references to the deploying ones.
  const partition = () => asText(synthesized.stateless.resolve(synthesized.stateless.partition));
  const region = () => asText(synthesized.stateless.resolve(synthesized.stateless.region));

  it('lets SES encrypt with it only for the newsletter’s configuration set, in this account', () => {
    const ses = grantedTo('ses.amazonaws.com');

    expect(ses).toHaveLength(1);
    expect(ses[0]?.Condition?.StringEquals?.['aws:SourceAccount']).toEqual(thisAccount);
    expect(asText(ses[0]?.Condition?.StringEquals?.['aws:SourceArn'])).toBe(
      `arn:${partition()}:ses:${region()}:\${AWS::AccountId}:configuration-set/${committedConfig.configurationSet}`,
    );
  });

  it('lets CloudWatch encrypt with it only for the alarms of this account', () => {
    const cloudWatch = grantedTo('cloudwatch.amazonaws.com');

    expect(cloudWatch).toHaveLength(1);
    expect(cloudWatch[0]?.Condition?.StringEquals?.['aws:SourceAccount']).toEqual(thisAccount);
    expect(asText(cloudWatch[0]?.Condition?.ArnLike?.['aws:SourceArn'])).toBe(
      `arn:${partition()}:cloudwatch:${region()}:\${AWS::AccountId}:alarm:*`,
    );
  });

  it('lets no service use it without naming this account and a resource of it as the source', () => {
    const services = statements().filter(
      (statement) =>
        statement.Effect === 'Allow' && JSON.stringify(statement.Principal).includes('"Service"'),
    );

    expect(services.length).toBeGreaterThanOrEqual(2);
    for (const statement of services) {
      const conditions = statement.Condition ?? {};
      expect(conditions.StringEquals?.['aws:SourceAccount']).toEqual(thisAccount);
      expect(
        conditions.StringEquals?.['aws:SourceArn'] ?? conditions.ArnLike?.['aws:SourceArn'],
      ).toBeDefined();
    }
  });

  it('lets no one create a grant on it, but AWS services for AWS resources', () => {
    const denials = statements().filter((statement) => statement.Effect === 'Deny');

    expect(denials).toEqual([
      expect.objectContaining({
        Action: 'kms:CreateGrant',
        Principal: { AWS: '*' },
        Resource: '*',
        Condition: {
          BoolIfExists: {
            'kms:GrantIsForAWSResource': 'false',
            'aws:PrincipalIsAWSService': 'false',
          },
        },
      }),
    ]);
  });
});

describe('the schedule', () => {
  it('invokes the issue builder on the configured cron expression and time zone', () => {
    synthesized.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: committedConfig.scheduleExpression,
      ScheduleExpressionTimezone: committedConfig.scheduleTimeZone,
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: {
          'Fn::GetAtt': [
            logicalId(synthesized.stateless.functions.issueBuilder.node.defaultChild),
            'Arn',
          ],
        },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
  });

  const schedules = () =>
    Object.values(synthesized.statelessTemplate.findResources('AWS::Scheduler::Schedule')).map(
      (schedule) =>
        schedule.Properties as {
          ScheduleExpression: string;
          State: string;
          Target: {
            Arn: unknown;
            Input?: string;
            RetryPolicy?: { MaximumRetryAttempts?: number };
            DeadLetterConfig?: unknown;
          };
        },
    );

  it('ticks every minute with {"tick":true}, never retried: the next tick does the same', () => {
    const ticks = schedules().filter(
      (schedule) => schedule.Target.Input !== undefined && JSON.parse(schedule.Target.Input).tick,
    );

    expect(ticks).toHaveLength(1);
    const tick = ticks[0];
    expect(tick?.ScheduleExpression).toBe('rate(1 minute)');
    expect(tick?.State).toBe('ENABLED');
    expect(JSON.parse(tick?.Target.Input ?? '')).toEqual({ tick: true });
    expect(tick?.Target.RetryPolicy?.MaximumRetryAttempts).toBe(0);
    expect(tick?.Target.Arn).toEqual({
      'Fn::GetAtt': [
        logicalId(synthesized.stateless.functions.issueBuilder.node.defaultChild),
        'Arn',
      ],
    });
  });

  it('erases forgotten sign-ups daily, through the builder', () => {
    const erasures = schedules().filter(
      (schedule) =>
        schedule.Target.Input !== undefined &&
        JSON.parse(schedule.Target.Input).eraseStalePendings === true,
    );

    expect(erasures).toHaveLength(1);
    expect(erasures[0]?.ScheduleExpression).toBe('rate(1 day)');
    expect(erasures[0]?.Target.Arn).toEqual({
      'Fn::GetAtt': [
        logicalId(synthesized.stateless.functions.issueBuilder.node.defaultChild),
        'Arn',
      ],
    });
  });

  it('gives the recurring run no tick in its input', () => {
    const recurring = schedules().filter(
      (schedule) => schedule.ScheduleExpression === committedConfig.scheduleExpression,
    );

    expect(recurring).toHaveLength(1);
    expect(recurring[0]?.Target.Input ?? '{}').not.toContain('tick');
  });
});

describe('the alarms', () => {
  const alarms = () =>
    Object.values(synthesized.statelessTemplate.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) =>
        alarm.Properties as {
          MetricName: string;
          Namespace: string;
          Threshold: number;
          ComparisonOperator: string;
          Statistic?: string;
          Period?: number;
          Dimensions?: unknown;
          TreatMissingData?: string;
          AlarmDescription?: string;
          AlarmActions: unknown[];
        },
    );

  const metricFilters = () =>
    Object.values(synthesized.statelessTemplate.findResources('AWS::Logs::MetricFilter')).map(
      (filter) =>
        filter.Properties as {
          LogGroupName: unknown;
          FilterPattern: string;
          MetricTransformations: { MetricNamespace: string; MetricName: string }[];
        },
    );
  const feeding = (metricName: string) =>
    metricFilters().filter((filter) =>
      filter.MetricTransformations.some(
        (metric) => metric.MetricNamespace === 'Newsletter' && metric.MetricName === metricName,
      ),
    );
  const logGroupOf = (fn: NodejsFunction) => ({
    Ref: logicalId(fn.logGroup.node.defaultChild),
  });

  it('watch the depth of every dead-letter queue', () => {
    const watched = alarms()
      .filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map((alarm) => JSON.stringify(alarm.Dimensions));

    for (const id of [
      'SendDeadLetterQueue',
      'SesEventsDeadLetterQueue',
      'ScheduleDeadLetterQueue',
    ]) {
      const queue = logicalId(synthesized.stateless.node.findChild(id).node.defaultChild);
      expect(watched.some((dimensions) => dimensions.includes(queue))).toBe(true);
    }
  });

  it('watch the age of the oldest message of the send and events queues', () => {
    const watched = alarms()
      .filter((alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage')
      .map((alarm) => JSON.stringify(alarm.Dimensions));

    for (const id of ['SendQueue', 'SesEventsQueue']) {
      const queue = logicalId(synthesized.stateless.node.findChild(id).node.defaultChild);
      expect(watched.some((dimensions) => dimensions.includes(queue))).toBe(true);
    }
  });

  it('watch the SES bounce and complaint rates, firing before SES would review the account', () => {
    const ses = Object.fromEntries(
      alarms()
        .filter((alarm) => alarm.Namespace === 'AWS/SES')
        .map((alarm) => [alarm.MetricName, alarm.Threshold]),
    );

    expect(Object.keys(ses).sort()).toEqual(['Reputation.BounceRate', 'Reputation.ComplaintRate']);
    // SES reviews an account at a 5% bounce rate or a 0.1% complaint rate.
    expect(ses['Reputation.BounceRate']).toBeLessThan(0.05);
    expect(ses['Reputation.ComplaintRate']).toBeLessThan(0.001);
  });

  it('watch the ScheduleSentNothing metric, counted from the issue builder’s log', () => {
    const watching = alarms().filter(
      (alarm) => alarm.Namespace === 'Newsletter' && alarm.MetricName === 'ScheduleSentNothing',
    );
    const filters = feeding('ScheduleSentNothing');

    // One run that sent nothing an editor expected is enough to tell them.
    expect(watching).toHaveLength(1);
    expect(watching[0]).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Statistic: 'Sum',
    });
    expect(filters).toHaveLength(1);
    expect(filters[0]?.FilterPattern).toContain('ScheduleSentNothing');
    expect(filters[0]?.LogGroupName).toEqual(
      logGroupOf(synthesized.stateless.functions.issueBuilder),
    );
  });

  it('watch the IssuePausedItself metric, counted from the sender’s and the events handler’s logs', () => {
    const { sender, sesEvents } = synthesized.stateless.functions;
    const watching = alarms().filter(
      (alarm) => alarm.Namespace === 'Newsletter' && alarm.MetricName === 'IssuePausedItself',
    );
    const filters = feeding('IssuePausedItself');

    // One issue that paused itself is enough to tell someone: it holds up the schedule.
    expect(watching).toHaveLength(1);
    expect(watching[0]).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Statistic: 'Sum',
      Period: 300,
      TreatMissingData: 'notBreaching',
    });
    expect(watching[0]?.AlarmDescription).toContain('newsletter issues show ID');
    // No dimensions: both filters feed the one metric the alarm sums.
    expect(watching[0]?.Dimensions).toBeUndefined();
    expect(filters.map((filter) => filter.LogGroupName)).toEqual(
      expect.arrayContaining([logGroupOf(sender), logGroupOf(sesEvents)]),
    );
    expect(filters).toHaveLength(2);
    for (const filter of filters) {
      expect(filter.FilterPattern).toContain('IssuePausedItself');
      expect(filter.MetricTransformations).toEqual([expect.objectContaining({ MetricValue: '1' })]);
    }
  });

  it('all notify the alarm topic', () => {
    for (const alarm of alarms()) {
      expect(JSON.stringify(alarm.AlarmActions)).toContain('AlarmTopic');
    }
  });
});

describe('the outputs', () => {
  it('give the CLI only what it calls the editor API with: no table, bucket, queue or secret', () => {
    const outputs = synthesized.statelessTemplate.toJSON().Outputs as Record<
      string,
      { Value: unknown }
    >;
    const pairs = JSON.stringify(outputs.CliEnvironment?.Value);
    const names = [...pairs.matchAll(/([A-Z][A-Z0-9_]+)=/g)].map((match) => match[1]);

    expect(names.sort()).toEqual([
      'AWS_REGION',
      'NEWSLETTER_EDITOR_API_URL',
      'NEWSLETTER_MEDIA_BASE_URL',
      'NEWSLETTER_PUBLIC_BASE_URL',
    ]);
  });
});
