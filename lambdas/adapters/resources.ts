/**
 * The buckets, queues and topics besides the tables (see tables.ts), described once for the
 * local provisioner and the CDK app. Each adapter learns a resource's name, URL or ARN from
 * the environment variable `env`; locally the provisioner sets it.
 */
export const buckets = {
  /** Rendered issues (`issues/<issueId>.html`, public copies without personal data). */
  archive: { env: 'ARCHIVE_BUCKET', localName: 'newsletter-archive' },
} as const;

export interface QueueDefinition {
  env: string;
  localName: string;
  /** Its dead-letter queue, where messages go after `maxReceiveCount` receives. */
  deadLetter: { env: string; localName: string; maxReceiveCount: number };
}

export const queues = {
  /** Pages of recipients of an issue, consumed by the send-batch handler. */
  send: {
    env: 'SEND_QUEUE_URL',
    localName: 'newsletter-send',
    deadLetter: { env: 'SEND_DLQ_URL', localName: 'newsletter-send-dlq', maxReceiveCount: 5 },
  },
  /** SES configuration-set events (SNS envelopes), consumed by the ses-events handler. */
  sesEvents: {
    env: 'SES_EVENTS_QUEUE_URL',
    localName: 'newsletter-ses-events',
    deadLetter: {
      env: 'SES_EVENTS_DLQ_URL',
      localName: 'newsletter-ses-events-dlq',
      maxReceiveCount: 5,
    },
  },
} as const satisfies Record<string, QueueDefinition>;

export const topics = {
  /** Where the SES configuration set publishes send, delivery, bounce, complaint and reject. */
  sesEvents: { env: 'SES_EVENTS_TOPIC_ARN', localName: 'newsletter-ses-events' },
} as const;

/** A resource's name, URL or ARN from the environment; a clear error when it is not set. */
export function resourceFromEnv(resource: { env: string }, env = process.env): string {
  const value = env[resource.env];
  if (!value) throw new Error(`${resource.env} is not set: it names a resource of the stack`);
  return value;
}
