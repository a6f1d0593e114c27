import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { type Config, parseConfig } from '#core/common/config.ts';
import { buildNewsletterApp, type NewsletterApp } from '../../../infra/newsletter-app.ts';

const repoFile = (path: string) => new URL(`../../../${path}`, import.meta.url);

/** The committed configuration, without environment overrides. */
export const committedConfig: Config = parseConfig(
  JSON.parse(readFileSync(repoFile('newsletter.config.json'), 'utf8')),
  {},
);

/** The context the CDK CLI passes from `cdk.json` (feature flags, telemetry off). */
const cdkJsonContext = (
  JSON.parse(readFileSync(repoFile('cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

export interface SynthesizedApp extends NewsletterApp {
  statefulTemplate: Template;
  statelessTemplate: Template;
  /** The cloud assembly's folder, holding `validation-report.json`. */
  outdir: string;
  /** Deletes the cloud assembly. */
  cleanUp: () => void;
}

/**
 * Builds and synthesizes the app as `cdk synth` does (the context of `cdk.json`), but with
 * bundling skipped, CloudFormation's own validation off and, unless `controlTowerChecks` is
 * set, without the AWS Control Tower checks (cfn-guard, ten seconds), so it takes about a
 * second. A finding does not throw: it is left in the validation report for tests to read.
 */
export function synthApp(
  options: {
    context?: Record<string, unknown>;
    config?: Config;
    extend?: (app: NewsletterApp) => void;
    controlTowerChecks?: boolean;
  } = {},
): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'newsletter-cdk-'));
  const cleanUp = () => rmSync(outdir, { recursive: true, force: true });
  const built = buildNewsletterApp({
    controlTowerChecks: options.controlTowerChecks ?? false,
    config: options.config ?? committedConfig,
    appProps: {
      outdir,
      builtinCloudFormationValidation: false,
      context: {
        ...cdkJsonContext,
        'aws:cdk:bundling-stacks': [],
        '@aws-cdk/core:failSynthOnValidationErrors': false,
        ...options.context,
      },
    },
  });
  options.extend?.(built);
  try {
    built.app.synth();
  } catch (error) {
    cleanUp();
    throw error;
  }
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
    outdir,
    cleanUp,
  };
}

export interface NagViolation {
  ruleName: string;
  paths: string[];
}

/** The findings of the synthesis that no acknowledgement covers, by rule. */
export function unacknowledgedFindings(outdir: string): NagViolation[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: {
      violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((violation) => ({
      ruleName: violation.ruleName,
      paths: violation.violatingConstructs.map((construct) => construct.constructPath),
    })),
  );
}
