import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { sesEventDestination } from '../../infra/ses-event-destination.ts';
import { committedConfig, synthApp } from './support/synth-app.ts';

/** The configuration set's event destination alone, in a stack of its own. */
function destinationTemplate(trackEngagement: boolean): Template {
  const stack = new Stack(new App(), 'Events');
  sesEventDestination(stack, {
    configurationSetName: 'newsletter-events',
    topicKey: new Key(stack, 'TopicKey'),
    queue: new Queue(stack, 'EventsQueue'),
    trackEngagement,
  });
  return Template.fromStack(stack);
}

/** The event types the destination of a template publishes. */
function matchingTypes(template: Template): string[] {
  const destinations = Object.values(
    template.findResources('AWS::SES::ConfigurationSetEventDestination'),
  );
  expect(destinations).toHaveLength(1);
  return destinations[0]?.Properties.EventDestination.MatchingEventTypes;
}

const DELIVERY = ['send', 'delivery', 'bounce', 'complaint', 'reject', 'deliveryDelay'];

describe('the SES event destination', () => {
  it('always publishes delivery delays, and no open or click without trackEngagement', () => {
    expect(matchingTypes(destinationTemplate(false))).toEqual(DELIVERY);
  });

  it('publishes opens and clicks with trackEngagement, which turns SES’s tracking on', () => {
    expect(matchingTypes(destinationTemplate(true))).toEqual([...DELIVERY, 'open', 'click']);
  });

  it('gets trackEngagement from the configuration the app is built with', () => {
    const tracking = synthApp({ config: { ...committedConfig, trackEngagement: true } });
    const committed = synthApp();
    try {
      expect(committedConfig.trackEngagement).toBe(false);
      expect(matchingTypes(tracking.statelessTemplate)).toEqual([...DELIVERY, 'open', 'click']);
      expect(matchingTypes(committed.statelessTemplate)).toEqual(DELIVERY);
    } finally {
      tracking.cleanUp();
      committed.cleanUp();
    }
  });
});
