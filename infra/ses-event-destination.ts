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
  /**
   * Whether SES tracks opens and clicks (`trackEngagement`): it does for the messages of a
   * configuration set whose event destination publishes `Open` or `Click` events, so those
   * types are published only then.
   */
  trackEngagement: boolean;
}

/** What the configuration set always publishes: what SES did with each message. */
const DELIVERY_EVENTS = [
  EmailSendingEvent.SEND,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.DELIVERY_DELAY,
];

/**
 * What it publishes besides with `trackEngagement`; publishing them is what makes SES add its
 * open pixel and rewrite links (all but those marked `ses:no-track`, the unsubscribe link).
 */
const ENGAGEMENT_EVENTS = [EmailSendingEvent.OPEN, EmailSendingEvent.CLICK];

/**
 * The SES configuration set (with reputation metrics) and the path of its events: send,
 * delivery, bounce, complaint, reject and delivery delay, and with `trackEngagement` open
 * and click, go to an encrypted SNS topic, and from it to `queue`.
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
    events: [...DELIVERY_EVENTS, ...(props.trackEngagement ? ENGAGEMENT_EVENTS : [])],
  });
  // Raw message delivery stays off: the handler reads the SNS envelope, as it does locally.
  eventsTopic.addSubscription(new SqsSubscription(props.queue));
  return eventsTopic;
}
