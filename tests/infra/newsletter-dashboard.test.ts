import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inStatefulTerms } from './in-stateful-terms.ts';
import { type SynthesizedApp, synthApp } from './support/synth-app.ts';

interface Widget {
  type: string;
  properties: {
    title: string;
    /** Each a metric (namespace, name, then dimension name and value pairs, then options) or an expression. */
    metrics: unknown[][];
    annotations?: { horizontal: { value: number; label: string }[] };
  };
}

let synthesized: SynthesizedApp;
let dashboards: string[];
let widgets: Widget[];
beforeAll(() => {
  synthesized = synthApp();
  const found = synthesized.statelessTemplate.findResources('AWS::CloudWatch::Dashboard');
  dashboards = Object.keys(found);
  // A value of the stateful stack (the HTTP API's id) as that stack's template writes it.
  const body = asText(
    inStatefulTerms(synthesized, Object.values(found)[0]?.Properties.DashboardBody),
  );
  widgets = (JSON.parse(body) as { widgets: Widget[] }).widgets;
});
afterAll(() => synthesized.cleanUp());

/** A template value as text: `Fn::Join` joined, a `Ref` as `${Id}`, a `Fn::GetAtt` as `${Id.Attr}`. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  const {
    Ref: reference,
    'Fn::Join': join,
    'Fn::GetAtt': attribute,
  } = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: string[] };
  if (reference !== undefined) return `\${${reference}}`;
  if (attribute !== undefined) return `\${${attribute.join('.')}}`;
  if (join !== undefined) return join[1].map(asText).join(join[0]);
  throw new Error(`not text: ${JSON.stringify(value)}`);
}

const id = (construct: { node: { defaultChild?: unknown } }) =>
  synthesized.stateless.getLogicalId(construct.node.defaultChild as CfnElement);
const queueName = (constructId: string) =>
  `\${${id(synthesized.stateless.node.findChild(constructId))}.QueueName}`;

/** The widget titled so; it must exist. */
function widget(title: string): Widget {
  const found = widgets.filter((candidate) => candidate.properties.title === title);
  expect(found.map((candidate) => candidate.type)).toEqual(['metric']);
  return found[0] as Widget;
}

/** A widget's metrics as `namespace name [dimension value…]`, without options or expressions. */
function metricsOf(title: string): string[] {
  return widget(title)
    .properties.metrics.filter((metric) => typeof metric[0] === 'string')
    .map((metric) => metric.filter((part) => typeof part === 'string').join(' '));
}

/** A widget's metric math, as written. */
function expressionsOf(title: string): string[] {
  return widget(title).properties.metrics.flatMap((metric) =>
    metric.flatMap((part) =>
      typeof part === 'object' && part !== null && 'expression' in part
        ? [String(part.expression)]
        : [],
    ),
  );
}

describe('the dashboard', () => {
  it('shows the messages SES takes each second against the cap of the issue sending', () => {
    const title = 'Send rate against the cap (messages per second)';

    expect(expressionsOf(title)).toEqual(['sent / PERIOD(sent)']);
    expect(metricsOf(title)).toEqual(['AWS/SES Send', 'Newsletter SendRateCap']);
  });

  it('shows the issues that need someone: stalled, paused too long or by themselves, a schedule run that sent nothing', () => {
    expect(metricsOf('Issues that need someone (log lines per 5 minutes)')).toEqual([
      'Newsletter IssueStalled',
      'Newsletter IssuePausedTooLong',
      'Newsletter IssuePausedItself',
      'Newsletter ScheduleSentNothing',
    ]);
  });

  it('shows what the functions counted of the sends: sent, failed, unknown, throttled, paused, bounces and complaints', () => {
    expect(
      metricsOf('Sends: recipients and events counted by the functions (per 5 minutes)'),
    ).toEqual(
      ['Sent', 'Failed', 'Unknown', 'Throttled', 'Paused', 'Bounces', 'Complaints'].map(
        (name) => `Newsletter ${name} service newsletter`,
      ),
    );
  });

  it('shows the depth and the oldest message’s age of the send and SES events queues, with the age alarms’ thresholds', () => {
    const send = queueName('SendQueue');
    const events = queueName('SesEventsQueue');
    const ages = widget('Queues: age of the oldest message (seconds)');

    expect(metricsOf('Queues: messages waiting')).toEqual([
      `AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${send}`,
      `AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${events}`,
    ]);
    expect(metricsOf('Queues: age of the oldest message (seconds)').sort()).toEqual(
      [
        `AWS/SQS ApproximateAgeOfOldestMessage QueueName ${send}`,
        `AWS/SQS ApproximateAgeOfOldestMessage QueueName ${events}`,
      ].sort(),
    );
    expect(ages.properties.annotations?.horizontal.map((line) => line.value)).toEqual([
      15 * 60,
      36 * 60 * 60,
    ]);
  });

  it('shows the messages in each of the three dead-letter queues', () => {
    expect(metricsOf('Dead-letter queues: messages')).toEqual(
      ['SendDeadLetterQueue', 'SesEventsDeadLetterQueue', 'ScheduleDeadLetterQueue'].map(
        (queue) => `AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${queueName(queue)}`,
      ),
    );
  });

  it('shows the errors of every function, and the batch item failures of the two that read queues', () => {
    const functions = Object.values(synthesized.stateless.functions);

    expect(metricsOf('Errors per function (per 5 minutes)').sort()).toEqual(
      functions.map((fn) => `AWS/Lambda Errors FunctionName \${${id(fn)}}`).sort(),
    );
    expect(functions).toHaveLength(5);
    expect(metricsOf('Batch item failures (per 5 minutes)')).toEqual([
      'Newsletter SendPageFailed',
      'Newsletter SesEventFailed',
    ]);
  });

  it('shows the bounce and complaint rates, SES’s own and each hour’s from its events, with the alarms’ thresholds', () => {
    const title = 'Bounce and complaint rates (complaints on the right)';

    expect(metricsOf(title)).toEqual(
      expect.arrayContaining([
        'AWS/SES Reputation.BounceRate',
        'AWS/SES Reputation.ComplaintRate',
        'AWS/SES Bounce',
        'AWS/SES Complaint',
        'AWS/SES Send',
      ]),
    );
    expect(expressionsOf(title)).toEqual(['bounce / sent', 'complaint / sent']);
    expect(widget(title).properties.annotations?.horizontal.map((line) => line.value)).toEqual(
      expect.arrayContaining([0.04, 0.0008]),
    );
  });

  it('shows the HTTP API’s 4xx and 5xx answers and its latency', () => {
    const apiId = synthesized.stateful.getLogicalId(
      synthesized.stateful.publicApi.api.node.defaultChild as CfnElement,
    );
    const api = `ApiId \${${apiId}}`;

    expect(metricsOf('HTTP API: 4xx and 5xx answers (per 5 minutes)')).toEqual([
      `AWS/ApiGateway 4xx ${api}`,
      `AWS/ApiGateway 5xx ${api}`,
    ]);
    expect(metricsOf('HTTP API: latency (milliseconds)')).toEqual([
      `AWS/ApiGateway Latency ${api}`,
      `AWS/ApiGateway Latency ${api}`,
      `AWS/ApiGateway IntegrationLatency ${api}`,
    ]);
  });

  it('is one, named in the stack’s outputs', () => {
    const outputs = synthesized.statelessTemplate.toJSON().Outputs as Record<
      string,
      { Value: unknown }
    >;

    expect(dashboards).toHaveLength(1);
    expect(outputs.DashboardName?.Value).toEqual({ Ref: dashboards[0] });
  });
});
