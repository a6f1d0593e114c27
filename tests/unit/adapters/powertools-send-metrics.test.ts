import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { powertoolsSendMetrics } from '#adapters/powertools-send-metrics.ts';
import { powertoolsOutput } from '../support/powertools-output.ts';

const ISSUE = '01JISSUE000000000000000001';
const OTHER = '01JISSUE000000000000000002';

/** The EMF object's metric directive, as CloudWatch reads it. */
interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}
const directiveOf = (blob: Record<string, unknown> | undefined) =>
  (blob?._aws as { CloudWatchMetrics: EmfDirective[] } | undefined)?.CloudWatchMetrics[0];

/** Metrics as the functions build them: namespace and service given as infra sets them. */
const sendMetrics = () =>
  powertoolsSendMetrics(new Metrics({ namespace: 'Newsletter', serviceName: 'newsletter' }));

describe('a send’s metrics on Lambda (Powertools, CloudWatch EMF)', () => {
  it('publishes each recording as one EMF object: the counts as metrics, the issue id a property and no dimension', () => {
    const metrics = sendMetrics();

    const output = powertoolsOutput(() =>
      metrics.record(ISSUE, { sent: 3, failed: 1, unknown: 0, throttled: 2 }),
    );

    expect(output.stderr).toEqual([]);
    expect(output.stdout).toHaveLength(1);
    const [blob] = output.stdout;
    expect(blob).toMatchObject({
      issueId: ISSUE,
      service: 'newsletter',
      Sent: 3,
      Failed: 1,
      Unknown: 0,
      Throttled: 2,
    });
    const directive = directiveOf(blob);
    expect(directive).toEqual({
      Namespace: 'Newsletter',
      Dimensions: [['service']],
      Metrics: ['Sent', 'Failed', 'Unknown', 'Throttled'].map((Name) => ({ Name, Unit: 'Count' })),
    });
    expect(directive?.Dimensions.flat()).not.toContain('issueId');
  });

  it('keeps each issue’s counts in an object of its own', () => {
    const metrics = sendMetrics();

    const output = powertoolsOutput(() => {
      metrics.record(ISSUE, { bounces: 1 });
      metrics.record(OTHER, { complaints: 1 });
      metrics.record(ISSUE, { paused: 1 });
    });

    expect(
      output.stdout.map((blob) => ({
        issueId: blob.issueId,
        metrics: directiveOf(blob)?.Metrics.map((metric) => metric.Name),
      })),
    ).toEqual([
      { issueId: ISSUE, metrics: ['Bounces'] },
      { issueId: OTHER, metrics: ['Complaints'] },
      { issueId: ISSUE, metrics: ['Paused'] },
    ]);
    expect(output.stdout[1]).not.toHaveProperty('Bounces');
  });

  it('publishes nothing, and warns of nothing, for a recording without counts', () => {
    const metrics = sendMetrics();

    const output = powertoolsOutput(() => metrics.record(ISSUE, {}));

    expect(output.text).toBe('');
  });
});
