import type { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKS_CARRY_API_ID } from '../../infra/public-api.ts';
import { inStatefulTerms } from './in-stateful-terms.ts';
import { type SynthesizedApp, synthApp } from './support/synth-app.ts';

// Every mailed link points at the public address: it must outlive any redeploy of the
// stateless stack, so the HTTP API, its stage and custom domain are the stateful stack's, and
// the stateless stack adds only the routes, integrations and permissions, reading the API's
// id from the stateful stack.

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Outputs = Record<string, { Value: unknown }>;

const certificateArn =
  'arn:aws:acm:eu-west-2:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const linksWarning = Match.stringLikeRegexp(LINKS_CARRY_API_ID);

const statefulId = (synthesized: SynthesizedApp, element: unknown) =>
  synthesized.stateful.getLogicalId(element as CfnElement);
const apiRef = (synthesized: SynthesizedApp) => ({
  Ref: statefulId(synthesized, synthesized.stateful.publicApi.api.node.defaultChild),
});
const resourcesOf = (template: SynthesizedApp['statefulTemplate'], type: string) =>
  Object.values(template.findResources(type)) as Resource[];

describe('the public address without a custom domain', () => {
  let synthesized: SynthesizedApp;
  beforeAll(() => {
    synthesized = synthApp();
  });
  afterAll(() => synthesized.cleanUp());

  it('is the stateful stack’s: the HTTP API and its $default stage, logging to a group there', () => {
    const apis = synthesized.statefulTemplate.findResources('AWS::ApiGatewayV2::Api');
    const stages = resourcesOf(synthesized.statefulTemplate, 'AWS::ApiGatewayV2::Stage');

    expect(Object.keys(apis)).toEqual([apiRef(synthesized).Ref]);
    expect(stages.map((stage) => stage.Properties)).toEqual([
      expect.objectContaining({
        ApiId: apiRef(synthesized),
        StageName: '$default',
        AutoDeploy: true,
      }),
    ]);
    const accessLogs = stages[0]?.Properties.AccessLogSettings as
      | { DestinationArn: { 'Fn::GetAtt': [string, string] } }
      | undefined;
    const logs = accessLogs?.DestinationArn['Fn::GetAtt'][0] ?? 'none';
    expect(synthesized.statefulTemplate.toJSON().Resources[logs]?.Type).toBe('AWS::Logs::LogGroup');
  });

  it('has nothing in the stateless stack, which can be deleted and deployed again', () => {
    for (const type of [
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::DomainName',
      'AWS::ApiGatewayV2::ApiMapping',
    ]) {
      expect({ type, found: resourcesOf(synthesized.statelessTemplate, type).length }).toEqual({
        type,
        found: 0,
      });
    }
  });

  it('is kept, as the tables are, if the stateful stack is ever deleted', () => {
    const [api] = Object.values(
      synthesized.statefulTemplate.findResources('AWS::ApiGatewayV2::Api'),
    ) as (Resource & { UpdateReplacePolicy?: string })[];

    expect(api?.DeletionPolicy).toBe('Retain');
    expect(api?.UpdateReplacePolicy).toBe('Retain');
  });

  it('depends on nothing of the stateless stack, so the stateful one deploys first, alone', () => {
    const template = JSON.stringify(synthesized.statefulTemplate.toJSON());

    expect(synthesized.stateful.dependencies).toEqual([]);
    expect(template).not.toContain('Fn::GetStackOutput');
    expect(template).not.toContain('Fn::ImportValue');
  });

  it('is where every function points its links: the stateful stack’s API URL', () => {
    const outputs = synthesized.statefulTemplate.toJSON().Outputs as Outputs;
    const functions = resourcesOf(synthesized.statelessTemplate, 'AWS::Lambda::Function').filter(
      (fn) => fn.Properties.Environment !== undefined,
    );

    expect(JSON.stringify(outputs.PublicBaseUrl?.Value)).toContain(
      JSON.stringify(apiRef(synthesized)),
    );
    expect(JSON.stringify(outputs.PublicBaseUrl?.Value)).toContain('.execute-api.');
    // The public app, the issue builder, the sender, the events handler and the editor API.
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      const { Variables } = fn.Properties.Environment as { Variables: Record<string, unknown> };
      expect(inStatefulTerms(synthesized, Variables.NEWSLETTER_PUBLIC_BASE_URL)).toEqual(
        outputs.PublicBaseUrl?.Value,
      );
    }
  });

  it('gets its routes, their integrations and permissions from the stateless stack, on the stateful stack’s API', () => {
    const routes = resourcesOf(synthesized.statelessTemplate, 'AWS::ApiGatewayV2::Route');
    const integrations = resourcesOf(
      synthesized.statelessTemplate,
      'AWS::ApiGatewayV2::Integration',
    );
    const permissions = resourcesOf(synthesized.statelessTemplate, 'AWS::Lambda::Permission');
    const readFromStateful = expect.stringMatching(/^Fn::(GetStackOutput|ImportValue)$/);

    // `GET /`, `ANY /{proxy+}` and the editor API's routes; one integration per function.
    expect(routes.length).toBeGreaterThan(2);
    expect(integrations).toHaveLength(2);
    expect(permissions).toHaveLength(routes.length);
    for (const { Properties } of [...routes, ...integrations]) {
      expect(Object.keys(Properties.ApiId as object)).toEqual([readFromStateful]);
      expect(inStatefulTerms(synthesized, Properties.ApiId)).toEqual(apiRef(synthesized));
    }
    for (const { Properties } of permissions) {
      expect(JSON.stringify(inStatefulTerms(synthesized, Properties.SourceArn))).toContain(
        JSON.stringify(apiRef(synthesized)),
      );
    }
    for (const type of [
      'AWS::ApiGatewayV2::Route',
      'AWS::ApiGatewayV2::Integration',
      'AWS::Lambda::Permission',
    ]) {
      synthesized.statefulTemplate.resourceCountIs(type, 0);
    }
  });

  it('throttles requests and writes access logs that leave out the query string', () => {
    const stages = resourcesOf(synthesized.statefulTemplate, 'AWS::ApiGatewayV2::Stage');

    expect(stages).toHaveLength(1);
    const stage = stages[0]?.Properties as {
      DefaultRouteSettings: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
      AccessLogSettings: { DestinationArn: unknown; Format: string };
    };
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
    expect(stage.AccessLogSettings.DestinationArn).toBeDefined();
    expect(JSON.parse(stage.AccessLogSettings.Format)).toHaveProperty('requestId');
    // Subscriber tokens travel in the query string.
    expect(stage.AccessLogSettings.Format).not.toMatch(/querystring|requestUrl|\$context\.uri/i);
  });

  it('makes the synthesis warn that the links carry the API’s id, and what they do not outlive', () => {
    const warnings = Annotations.fromStack(synthesized.stateful).findWarning('*', linksWarning);

    expect(warnings).toHaveLength(1);
    const message = String(warnings[0]?.entry.data);
    expect(message).toContain("carries this API's id");
    expect(message).toContain(`a deletion of ${synthesized.stateful.stackName}`);
    expect(message).toContain('-c customDomain=');
  });
});

describe('the public address with a custom domain', () => {
  let synthesized: SynthesizedApp;
  beforeAll(() => {
    synthesized = synthApp({ context: { customDomain: 'news.example.com', certificateArn } });
  });
  afterAll(() => synthesized.cleanUp());

  it('is the domain, mapped in the stateful stack to its API’s $default stage', () => {
    const domains = resourcesOf(synthesized.statefulTemplate, 'AWS::ApiGatewayV2::DomainName');
    const mappings = resourcesOf(synthesized.statefulTemplate, 'AWS::ApiGatewayV2::ApiMapping');
    const domain = statefulId(
      synthesized,
      synthesized.stateful.publicApi.domain?.node.defaultChild,
    );

    expect(domains.map((found) => found.Properties.DomainName)).toEqual(['news.example.com']);
    expect(mappings.map((mapping) => mapping.Properties)).toEqual([
      { ApiId: apiRef(synthesized), DomainName: { Ref: domain }, Stage: '$default' },
    ]);
    synthesized.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    synthesized.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 0);
  });

  it('gives the domain’s DNS target as an output of the stateful stack', () => {
    const statefulOutputs = synthesized.statefulTemplate.toJSON().Outputs as Outputs;
    const statelessOutputs = synthesized.statelessTemplate.toJSON().Outputs as Outputs;
    const domain = statefulId(
      synthesized,
      synthesized.stateful.publicApi.domain?.node.defaultChild,
    );

    expect(statefulOutputs.CustomDomainTarget?.Value).toEqual({
      'Fn::GetAtt': [domain, 'RegionalDomainName'],
    });
    expect(statefulOutputs.PublicBaseUrl?.Value).toBe('https://news.example.com');
    expect(statelessOutputs).not.toHaveProperty('CustomDomainTarget');
  });

  it('makes the synthesis give no warning about the links, which follow the domain', () => {
    expect(Annotations.fromStack(synthesized.stateful).findWarning('*', linksWarning)).toEqual([]);
  });
});
