import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeploymentSettingsError,
  readDeploymentSettings,
} from '../../infra/deployment-settings.ts';
import { committedConfig, type SynthesizedApp, synthApp } from './support/synth-app.ts';

const certificateArn =
  'arn:aws:acm:eu-west-2:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const read = (context: Record<string, unknown>) =>
  readDeploymentSettings(committedConfig, (key) => context[key]);

describe('readDeploymentSettings', () => {
  it('sends as the domain of fromEmail when no identity is given', () => {
    expect(read({})).toEqual({ sesIdentity: 'example.com' });
  });

  it('accepts the sending address itself as the identity', () => {
    expect(read({ sesIdentity: committedConfig.fromEmail }).sesIdentity).toBe(
      committedConfig.fromEmail,
    );
  });

  it('refuses an identity that does not cover fromEmail, naming the context key', () => {
    expect(() => read({ sesIdentity: 'example.org' })).toThrow(DeploymentSettingsError);
    expect(() => read({ sesIdentity: 'example.org' })).toThrow(
      /^context sesIdentity: example\.org does not cover fromEmail digest@example\.com/,
    );
  });

  it('refuses an identity that is neither a domain nor an address', () => {
    expect(() => read({ sesIdentity: 'not a domain' })).toThrow(
      /^context sesIdentity: must be a verified SES identity.*-c sesIdentity=/,
    );
  });

  it('needs the certificate of a custom domain, and says how to pass it', () => {
    expect(() => read({ customDomain: 'news.example.com' })).toThrow(
      /^context certificateArn: .*-c customDomain=… -c certificateArn=…/,
    );
  });

  it('refuses a certificate ARN that is not from ACM', () => {
    expect(() =>
      read({ customDomain: 'news.example.com', certificateArn: 'arn:aws:iam::1:role/x' }),
    ).toThrow(/^context certificateArn: must be an ACM certificate ARN/);
  });

  it('treats an empty value from the command line as not given', () => {
    expect(read({ customDomain: '', alarmEmail: '' })).toEqual({ sesIdentity: 'example.com' });
  });

  it('refuses an alarm address that is not an address', () => {
    expect(() => read({ alarmEmail: 'ops' })).toThrow(/^context alarmEmail: must be an email/);
  });
});

describe('a deployment with a custom domain', () => {
  let synthesized: SynthesizedApp;
  beforeAll(() => {
    synthesized = synthApp({
      context: {
        customDomain: 'news.example.com',
        certificateArn,
        alarmEmail: 'ops@example.com',
      },
    });
  });
  afterAll(() => synthesized.cleanUp());

  it('points every mailed link at the custom domain', () => {
    const functions = synthesized.statelessTemplate.findResources('AWS::Lambda::Function');

    // The public app, the issue builder, the sender, the events handler and the editor API.
    expect(Object.keys(functions)).toHaveLength(5);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Environment.Variables.NEWSLETTER_PUBLIC_BASE_URL).toBe(
        'https://news.example.com',
      );
    }
  });

  it('maps the domain to the API with its certificate, in the stateful stack', () => {
    synthesized.statefulTemplate.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'news.example.com',
      DomainNameConfigurations: [{ CertificateArn: certificateArn, EndpointType: 'REGIONAL' }],
    });
    synthesized.statefulTemplate.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
  });

  it('emails the alarms to the given address', () => {
    synthesized.statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
