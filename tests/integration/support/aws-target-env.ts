import type { startProvisionedAws } from './local-aws.ts';

/**
 * The variables of an editor's shell pointed at a deployed stack (NEWSLETTER_TARGET=aws), with
 * `stack` standing in for it: its AWS and resource variables, the link key's secret and where
 * the photos are served from.
 */
export function awsTargetEnv(
  stack: Awaited<ReturnType<typeof startProvisionedAws>>,
  mediaBaseUrl: string,
): Record<string, string> {
  return {
    ...stack.env,
    NEWSLETTER_TARGET: 'aws',
    TOKEN_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:links',
    NEWSLETTER_MEDIA_BASE_URL: mediaBaseUrl,
  };
}
