import type { SQSEvent } from 'aws-lambda';

/** One SQS delivery of a message: its body and how many times SQS has delivered it. */
export interface Delivery {
  body: string;
  /** `ApproximateReceiveCount`, as SQS writes it: a number in a string. */
  receiveCount?: number | string;
}

/**
 * An SQS event as Lambda hands it to a handler: message `m1` (receipt handle `r1`) for the
 * first body, and so on; each delivered once unless said otherwise.
 */
export function sqsEvent(deliveries: readonly (string | Delivery)[]): SQSEvent {
  return {
    Records: deliveries.map((delivery, index) => {
      const { body, receiveCount = 1 } =
        typeof delivery === 'string' ? { body: delivery } : delivery;
      return {
        messageId: `m${index + 1}`,
        receiptHandle: `r${index + 1}`,
        body,
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: '0',
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
        awsRegion: 'us-east-1',
      };
    }),
  };
}
