import { z } from 'zod';
import type { Config } from '#core/common/config.ts';

/**
 * What only a deployment needs, on top of `newsletter.config.json`: passed as CDK context
 * (`npx cdk deploy -c sesIdentity=example.com`, or the `context` of `cdk.json`).
 */
export interface DeploymentSettings {
  /**
   * The verified SES identity that sends: a domain (`example.com`) or an address. The only
   * identity the sender may use (`ses:SendRawEmail` is scoped to it).
   * Default: the domain of `fromEmail`.
   */
  sesIdentity: string;
  /**
   * A custom domain for the public HTTP API (`news.example.com`) and its ACM certificate in
   * the stack's region. Default: none, links use the API's own `execute-api` URL.
   */
  customDomain?: { domainName: string; certificateArn: string };
  /** Where alarm notifications are emailed. Default: none (subscribe to the alarm topic). */
  alarmEmail?: string;
}

/** The context keys that `readDeploymentSettings` reads. */
const deploymentContextKeys = [
  'sesIdentity',
  'customDomain',
  'certificateArn',
  'alarmEmail',
] as const;

/** A deployment setting that is missing or wrong; names the context key and how to pass it. */
export class DeploymentSettingsError extends Error {
  override name = 'DeploymentSettingsError';
}

const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a domain name such as news.example.com',
  );

const settingsSchema = z.object({
  sesIdentity: z.union([z.email().toLowerCase(), domainName], {
    error: 'must be a verified SES identity: a domain such as example.com or an email address',
  }),
  customDomain: domainName.optional(),
  certificateArn: z
    .string()
    .trim()
    .regex(
      /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/,
      'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
    )
    .optional(),
  alarmEmail: z.email('must be an email address').optional(),
});

/**
 * Validates the deployment settings from CDK context against the configuration.
 * @param config the validated newsletter configuration
 * @param context reads one context value (`(key) => app.node.tryGetContext(key)`)
 * @throws DeploymentSettingsError naming the context key and what is wrong
 */
export function readDeploymentSettings(
  config: Config,
  context: (key: string) => unknown,
): DeploymentSettings {
  const raw: Record<string, unknown> = {};
  for (const key of deploymentContextKeys) {
    const value = context(key);
    // `-c key=` on the command line means "not set", like leaving it out.
    if (value !== undefined && value !== null && value !== '') raw[key] = value;
  }
  const fromDomain = config.fromEmail.slice(config.fromEmail.lastIndexOf('@') + 1).toLowerCase();
  raw.sesIdentity ??= fromDomain;

  const result = settingsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? 'context');
    throw new DeploymentSettingsError(
      `context ${key}: ${issue?.message ?? 'invalid'} (pass it as: npx cdk deploy -c ${key}=…)`,
    );
  }
  const { sesIdentity, customDomain, certificateArn, alarmEmail } = result.data;

  const coversFrom = sesIdentity.includes('@')
    ? sesIdentity === config.fromEmail.toLowerCase()
    : fromDomain === sesIdentity || fromDomain.endsWith(`.${sesIdentity}`);
  if (!coversFrom) {
    throw new DeploymentSettingsError(
      `context sesIdentity: ${sesIdentity} does not cover fromEmail ${config.fromEmail}; ` +
        'SES only sends from a verified identity (its domain, or the address itself)',
    );
  }
  if (Boolean(customDomain) !== Boolean(certificateArn)) {
    throw new DeploymentSettingsError(
      customDomain
        ? 'context certificateArn: a custom domain needs its ACM certificate in the stack region ' +
            '(pass it as: npx cdk deploy -c customDomain=… -c certificateArn=…)'
        : 'context customDomain: a certificate was given without the domain it is for ' +
            '(pass it as: npx cdk deploy -c customDomain=… -c certificateArn=…)',
    );
  }
  return {
    sesIdentity,
    ...(customDomain && certificateArn
      ? { customDomain: { domainName: customDomain, certificateArn } }
      : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}
