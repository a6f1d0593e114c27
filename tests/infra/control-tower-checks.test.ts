import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LINKS_CARRY_API_ID } from '../../infra/public-api.ts';
import { type SynthesizedApp, synthApp, unacknowledgedFindings } from './support/synth-app.ts';

/** cfn-guard takes about ten seconds a synthesis, more on a busy machine. */
const SLOW = 120_000;

interface PluginReport {
  pluginName: string;
  conclusion: string;
  suppressedViolations?: { ruleName: string }[];
}

/** What the validation report says of the Control Tower checks. */
function controlTowerReport(outdir: string): PluginReport | undefined {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: PluginReport[];
  };
  return report.pluginReports.find((plugin) => plugin.pluginName === 'cdk-validator-cfnguard');
}

/** Left unacknowledged on purpose: without a custom domain the links carry the API's id. */
const linksWarning = {
  ruleName: `Annotation::${LINKS_CARRY_API_ID}`,
  paths: ['NewsletterStateful/PublicApi'],
};

const acknowledgedRules = (report: PluginReport | undefined) =>
  [...new Set(report?.suppressedViolations?.map((violation) => violation.ruleName))].sort();

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthApp({ controlTowerChecks: true });
}, SLOW);
afterAll(() => synthesized.cleanUp());

describe('AWS Control Tower proactive controls (cfn-guard)', () => {
  it('find nothing that is not acknowledged (the warning about the links is no finding of theirs)', () => {
    const report = controlTowerReport(synthesized.outdir);

    expect(unacknowledgedFindings(synthesized.outdir)).toEqual([linksWarning]);
    // The checks ran: the report holds what they found and the app acknowledges.
    expect(report?.conclusion).toBe('success');
    expect(acknowledgedRules(report)).toContain('lambda_inside_vpc_check');
  });

  it(
    'fail the synthesis on a resource that breaks one, though others are acknowledged',
    () => {
      // A log group kept a week: only the Control Tower controls object to it (a year).
      const synthesizeWithShortLogs = () =>
        synthApp({
          controlTowerChecks: true,
          context: { '@aws-cdk/core:failSynthOnValidationErrors': true },
          extend: ({ stateless }) => {
            new LogGroup(stateless, 'WeekLongLogs', { retention: RetentionDays.ONE_WEEK });
          },
        });

      expect(synthesizeWithShortLogs).toThrow(
        /CT\.CLOUDWATCH\.PR\.2[\s\S]*NewsletterStateless\/WeekLongLogs/,
      );
    },
    SLOW,
  );
});

describe('AWS Control Tower proactive controls, in a synthesis for a known account', () => {
  let deployment: SynthesizedApp;
  beforeAll(() => {
    // As a deployment's: the CDK CLI gives the account of its credentials.
    vi.stubEnv('CDK_DEFAULT_ACCOUNT', '123456789012');
    try {
      deployment = synthApp({ controlTowerChecks: true });
    } finally {
      vi.unstubAllEnvs();
    }
  }, SLOW);
  afterAll(() => deployment.cleanUp());

  it('find nothing that is not acknowledged (the warning about the links is no finding of theirs)', () => {
    expect(unacknowledgedFindings(deployment.outdir)).toEqual([linksWarning]);
  });

  it('need no acknowledgement for the API’s permissions to invoke the functions', () => {
    // The account is written out, as the control wants it, beside the route's ARN.
    expect(acknowledgedRules(controlTowerReport(deployment.outdir))).not.toContain(
      'lambda_function_public_access_prohibited_check',
    );
  });
});
