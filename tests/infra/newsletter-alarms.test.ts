import type { CfnElement } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inStatefulTerms } from './in-stateful-terms.ts';
import { committedConfig, type SynthesizedApp, synthApp } from './support/synth-app.ts';

// The alarms that tell what no dead-letter queue or Lambda error shows in time: a 5xx of the
// HTTP API, an error of the public function, a failed send-queue message or SES event, an
// issue stalled or paused too long. stateless-stack.test.ts covers the others.

interface AlarmProperties {
  Namespace: string;
  MetricName: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Statistic: string;
  Period: number;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  TreatMissingData: string;
  AlarmDescription: string;
  AlarmActions: unknown[];
}

interface FilterProperties {
  LogGroupName: unknown;
  FilterPattern: string;
  MetricTransformations: { MetricNamespace: string; MetricName: string; MetricValue: string }[];
}

let synthesized: SynthesizedApp;
beforeAll(() => {
  // Paused for 6 hours, not the default day: the alarm must say what the stack was given.
  synthesized = synthApp({ config: { ...committedConfig, pausedAlarmHours: 6 } });
});
afterAll(() => synthesized.cleanUp());

const logicalId = (element: unknown) => synthesized.stateless.getLogicalId(element as CfnElement);
const ref = (construct: { node: { defaultChild?: unknown } }) => ({
  Ref: logicalId(construct.node.defaultChild),
});
const logGroupOf = (fn: NodejsFunction) => ref(fn.logGroup);

function alarmsOf(namespace: string, metricName: string): AlarmProperties[] {
  return Object.values(synthesized.statelessTemplate.findResources('AWS::CloudWatch::Alarm'))
    .map((alarm) => alarm.Properties as AlarmProperties)
    .filter((alarm) => alarm.Namespace === namespace && alarm.MetricName === metricName);
}

function filtersOf(metricName: string): FilterProperties[] {
  return Object.values(synthesized.statelessTemplate.findResources('AWS::Logs::MetricFilter'))
    .map((filter) => filter.Properties as FilterProperties)
    .filter((filter) =>
      filter.MetricTransformations.some(
        (metric) => metric.MetricNamespace === 'Newsletter' && metric.MetricName === metricName,
      ),
    );
}

/** The one alarm on the metric: at the first occurrence in five minutes, to the alarm topic. */
function firstOccurrenceAlarm(namespace: string, metricName: string): AlarmProperties {
  const alarms = alarmsOf(namespace, metricName);
  const topic = ref(synthesized.stateless.node.findChild('AlarmTopic'));

  expect(alarms).toHaveLength(1);
  const [alarm] = alarms as [AlarmProperties];
  expect(alarm).toMatchObject({
    Statistic: 'Sum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [topic],
  });
  return alarm;
}

describe('the alarms of the public side', () => {
  it('tell of a single 5xx answer of the HTTP API', () => {
    const alarm = firstOccurrenceAlarm('AWS/ApiGateway', '5xx');

    // The API is the stateful stack's: the alarm reads its id from there.
    const api = synthesized.stateful.getLogicalId(
      synthesized.stateful.publicApi.api.node.defaultChild as CfnElement,
    );
    expect(inStatefulTerms(synthesized, alarm.Dimensions)).toEqual([
      { Name: 'ApiId', Value: { Ref: api } },
    ]);
    expect(alarm.AlarmDescription).toContain('unsubscribe');
  });

  it('tell of a single error of the public function, through which readers unsubscribe', () => {
    const errors = alarmsOf('AWS/Lambda', 'Errors').filter(
      (alarm) =>
        JSON.stringify(alarm.Dimensions) ===
        JSON.stringify([
          { Name: 'FunctionName', Value: ref(synthesized.stateless.functions.httpApi) },
        ]),
    );

    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref(synthesized.stateless.node.findChild('AlarmTopic'))],
    });
  });
});

describe('the alarms of batch item failures', () => {
  it('tell of a single send-queue message that failed, counted from the sender’s log', () => {
    const alarm = firstOccurrenceAlarm('Newsletter', 'SendPageFailed');
    const filters = filtersOf('SendPageFailed');

    expect(alarm.Dimensions).toBeUndefined();
    expect(filters).toEqual([
      {
        LogGroupName: logGroupOf(synthesized.stateless.functions.sender),
        FilterPattern: '"page failed"',
        MetricTransformations: [
          { MetricNamespace: 'Newsletter', MetricName: 'SendPageFailed', MetricValue: '1' },
        ],
      },
    ]);
    expect(alarm.AlarmDescription).toContain('page failed');
  });

  it('tell of a single SES event that failed, counted from the events handler’s log', () => {
    const alarm = firstOccurrenceAlarm('Newsletter', 'SesEventFailed');
    const filters = filtersOf('SesEventFailed');

    expect(alarm.Dimensions).toBeUndefined();
    expect(filters).toEqual([
      {
        LogGroupName: logGroupOf(synthesized.stateless.functions.sesEvents),
        FilterPattern: '?"event failed" ?"send events failed"',
        MetricTransformations: [
          { MetricNamespace: 'Newsletter', MetricName: 'SesEventFailed', MetricValue: '1' },
        ],
      },
    ]);
  });
});

describe('the alarms of the minute tick’s watch', () => {
  it('tell of an issue stalled, counted from the issue builder’s log', () => {
    const alarm = firstOccurrenceAlarm('Newsletter', 'IssueStalled');

    expect(filtersOf('IssueStalled')).toEqual([
      {
        LogGroupName: logGroupOf(synthesized.stateless.functions.issueBuilder),
        FilterPattern: '"IssueStalled"',
        MetricTransformations: [
          { MetricNamespace: 'Newsletter', MetricName: 'IssueStalled', MetricValue: '1' },
        ],
      },
    ]);
    expect(alarm.AlarmDescription).toContain('an hour');
  });

  it('tell of an issue paused for the pausedAlarmHours the stack was given', () => {
    const alarm = firstOccurrenceAlarm('Newsletter', 'IssuePausedTooLong');

    expect(filtersOf('IssuePausedTooLong')).toEqual([
      {
        LogGroupName: logGroupOf(synthesized.stateless.functions.issueBuilder),
        FilterPattern: '"IssuePausedTooLong"',
        MetricTransformations: [
          { MetricNamespace: 'Newsletter', MetricName: 'IssuePausedTooLong', MetricValue: '1' },
        ],
      },
    ]);
    expect(alarm.AlarmDescription).toContain('paused for 6 hours');
  });

  it('read the rate of the issue sending from the issue builder’s log, for the dashboard', () => {
    expect(filtersOf('SendRateCap')).toEqual([
      {
        LogGroupName: logGroupOf(synthesized.stateless.functions.issueBuilder),
        FilterPattern: '{ $.metric = "SendRateCap" }',
        MetricTransformations: [
          {
            MetricNamespace: 'Newsletter',
            MetricName: 'SendRateCap',
            MetricValue: '$.rate',
          },
        ],
      },
    ]);
  });
});
