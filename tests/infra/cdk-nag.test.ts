import { Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKS_CARRY_API_ID } from '../../infra/public-api.ts';
import { type SynthesizedApp, synthApp, unacknowledgedFindings } from './support/synth-app.ts';

/** Left unacknowledged on purpose: without a custom domain the links carry the API's id. */
const linksWarning = {
  ruleName: `Annotation::${LINKS_CARRY_API_ID}`,
  paths: ['NewsletterStateful/PublicApi'],
};

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthApp();
});
afterAll(() => synthesized.cleanUp());

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not acknowledged, beside the warning about the links', () => {
    expect(unacknowledgedFindings(synthesized.outdir)).toEqual([linksWarning]);
  });

  it('sees every acknowledgement give its reason', () => {
    const acknowledgements = synthesized.app.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
      );

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect({ id, words: reason.split(/\s+/).length >= 8 }).toEqual({ id, words: true });
    }
  });

  it('reports a resource that breaks its rules, so the checks do run on this app', () => {
    const broken = synthApp({
      extend: ({ stateless }) => {
        new Queue(stateless, 'PlainQueue', { encryption: QueueEncryption.UNENCRYPTED });
      },
    });
    try {
      const findings = unacknowledgedFindings(broken.outdir);

      expect(findings.map((finding) => finding.ruleName)).toContain('AwsSolutions-SQS2');
      expect(findings.flatMap((finding) => finding.paths)).toContain(
        'NewsletterStateless/PlainQueue/Resource',
      );
    } finally {
      broken.cleanUp();
    }
  });
});
