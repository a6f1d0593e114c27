import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SendMetricCounts, SendMetrics } from '#core/sending/send-metrics.ts';

/** The CloudWatch metric of each count, in the namespace `POWERTOOLS_METRICS_NAMESPACE` names. */
export const SEND_METRIC_NAMES: Readonly<Record<keyof SendMetricCounts, string>> = {
  sent: 'Sent',
  failed: 'Failed',
  unknown: 'Unknown',
  throttled: 'Throttled',
  paused: 'Paused',
  bounces: 'Bounces',
  complaints: 'Complaints',
};

/**
 * A send's metrics through Powertools' `metrics`: each recording is published at once as one
 * CloudWatch EMF object on stdout, so every object belongs to one issue. Its counts are
 * metrics (unit Count) with the `service` dimension only (`POWERTOOLS_SERVICE_NAME`); the
 * issue's id is a property (`issueId`, Powertools' metadata), searchable in the logs but no
 * dimension, which would make a metric per issue. A recording without counts publishes
 * nothing (Powertools would warn of an empty publish).
 */
export function powertoolsSendMetrics(metrics: Metrics): SendMetrics {
  return {
    record(issueId, counts) {
      let added = 0;
      for (const [key, name] of Object.entries(SEND_METRIC_NAMES)) {
        const value = counts[key as keyof SendMetricCounts];
        if (value === undefined) continue;
        metrics.addMetric(name, MetricUnit.Count, value);
        added++;
      }
      if (added === 0) return;
      metrics.addMetadata('issueId', issueId);
      metrics.publishStoredMetrics();
    },
  };
}
