import { loadConfig } from '#adapters/config-file.ts';
import { ConfigError } from '#core/common/config.ts';
import { DeploymentSettingsError } from './deployment-settings.ts';
import { buildNewsletterApp } from './newsletter-app.ts';

// The entry that cdk.json runs: the same configuration as the CLI, plus CDK context.
try {
  const { app } = buildNewsletterApp({ config: await loadConfig() });
  app.synth();
} catch (error) {
  if (error instanceof ConfigError || error instanceof DeploymentSettingsError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
