import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Config } from '#core/common/config.ts';
import { ControlTowerChecks } from './control-tower-checks.ts';
import { type DeploymentSettings, readDeploymentSettings } from './deployment-settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface NewsletterAppOptions {
  /** The validated configuration (`newsletter.config.json` with `NEWSLETTER_*` overrides). */
  config: Config;
  /** Passed to the CDK `App`: context, `outdir`, validation switches. Default: none. */
  appProps?: AppProps;
  /**
   * Whether cfn-guard also checks the templates against AWS Control Tower's proactive
   * controls, which adds about ten seconds to a synthesis. Default: true.
   */
  controlTowerChecks?: boolean;
}

export interface NewsletterApp {
  app: App;
  settings: DeploymentSettings;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/** The stacks' names: the stateful one is deployed first and never replaced. */
export const stackNames = { stateful: 'NewsletterStateful', stateless: 'NewsletterStateless' };

/**
 * The CDK app: the stateful and the stateless stack, checked by cdk-nag's AwsSolutions rules
 * and by AWS Control Tower's proactive controls (cfn-guard): any finding of either without an
 * acknowledgement fails the synthesis.
 * @throws DeploymentSettingsError when a context value is missing or wrong
 */
export function buildNewsletterApp({
  config,
  appProps,
  controlTowerChecks = true,
}: NewsletterAppOptions): NewsletterApp {
  const app = new App(appProps);
  const settings = readDeploymentSettings(config, (key) => app.node.tryGetContext(key));
  // Without credentials (an offline synth) the account is unknown and the CDK CLI sets the
  // region to us-east-1, unless one is configured; a deploy gets those of its credentials.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const stateful = new StatefulStack(app, stackNames.stateful, {
    env,
    description: `${config.listName}: tables, archive bucket, keys of links and address hashes (retained), media distribution and the public HTTP API`,
    config,
    settings,
  });
  const stateless = new StatelessStack(app, stackNames.stateless, {
    env,
    description: `${config.listName}: functions, HTTP API routes, schedule, queues, SES events, alarms`,
    config,
    settings,
    stateful,
  });
  Tags.of(app).add('project', 'newsletter');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  if (controlTowerChecks) Validations.of(app).addPlugins(new ControlTowerChecks());
  return { app, settings, stateful, stateless };
}
