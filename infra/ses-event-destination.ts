import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** What {@link sesEventDestination} needs. */
export interface SesEventDestinationProps {
  /** The SES configuration set's name, as every send gives it. */
  configurationSetName: string;
  /** Encrypts the events topic. */
  topicKey: IKey;
  /** Where the events end, for the ses-events function. */
  queue: IQueue;
}

/**
 * The SES configuration set (with reputation metrics) and the path of its events: send,
 * delivery, bounce, complaint and reject go to an encrypted SNS topic, and from it to
 * `queue`.
 * @returns the events topic
 */
export function sesEventDestination(scope: Construct, props: SesEventDestinationProps): Topic {
  const configurationSet = new ConfigurationSet(scope, 'ConfigurationSet', {
    configurationSetName: props.configurationSetName,
    reputationMetrics: true,
  });
  const eventsTopic = new Topic(scope, 'SesEventsTopic', {
    displayName: 'SES events of the newsletter',
    masterKey: props.topicKey,
    enforceSSL: true,
  });
  new ConfigurationSetEventDestination(scope, 'SesEventDestination', {
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
  eventsTopic.addSubscription(new SqsSubscription(props.queue));
  return eventsTopic;
}
