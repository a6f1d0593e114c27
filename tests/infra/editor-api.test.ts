import type { CfnElement } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets, queues } from '#adapters/resources.ts';
import { LINK_KEYS_SECRET_ENV } from '#adapters/secrets-manager-link-keys.ts';
import { TOKEN_KEY_SECRET_ENV } from '#adapters/secrets-manager-token-key.ts';
import { tables } from '#adapters/tables.ts';
import {
  EDITOR_API_URL_ENV,
  type EditorRole,
  editorRoles,
  editorRoutes,
  routesOfRole,
} from '#core/editor/editor-routes.ts';
import { editorPolicyPath, editorRoutePath } from '../../infra/public-api.ts';
import { inStatefulTerms } from './in-stateful-terms.ts';
import { committedConfig, type SynthesizedApp, synthApp } from './support/synth-app.ts';

// The editor API on AWS: its routes on the HTTP API behind IAM, its function and what that may
// do, the three role policies, and the audit table.

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Route = { RouteKey: string; AuthorizationType?: string; Target: unknown };

let synthesized: SynthesizedApp;
let resources: Record<string, Resource>;
beforeAll(() => {
  synthesized = synthApp();
  resources = synthesized.statelessTemplate.toJSON().Resources;
});
afterAll(() => synthesized.cleanUp());

const logicalId = (element: unknown) => synthesized.stateless.getLogicalId(element as CfnElement);
const statefulId = (element: unknown) => synthesized.stateful.getLogicalId(element as CfnElement);
const tableId = (key: keyof typeof tables) =>
  statefulId(synthesized.stateful.tables[key].node.defaultChild);
/** The public HTTP API, the stateful stack's, which the stateless stack adds routes to. */
const apiId = () => statefulId(synthesized.stateful.publicApi.api.node.defaultChild);
const asList = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);
const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

/** Every statement of the policies attached to the function's role. */
function statementsOf(fn: NodejsFunction): Statement[] {
  const role = logicalId(fn.role?.node.defaultChild);
  return Object.values(resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(resource.Properties.Roles) === JSON.stringify([{ Ref: role }]),
    )
    .flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

/** The actions the function may take on resources whose ARN mentions `id`. */
function actionsOn(fn: NodejsFunction, id: string): string[] {
  return statementsOf(fn)
    .filter((statement) => JSON.stringify(statement.Resource).includes(id))
    .flatMap((statement) => asList(statement.Action))
    .sort();
}

/** The routes of the HTTP API, each with the function its integration invokes. */
function routes(): (Route & { invokes: string })[] {
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route')
    .map((resource) => {
      const route = resource.Properties as unknown as Route;
      const integrationId = /integrations\/",\{"Ref":"([^"]+)"/.exec(
        JSON.stringify(route.Target),
      )?.[1];
      const integration = resources[integrationId ?? ''];
      return { ...route, invokes: JSON.stringify(integration?.Properties.IntegrationUri) };
    });
}

const functionRef = (fn: NodejsFunction) => `"${logicalId(fn.node.defaultChild)}"`;

/**
 * The part of an `execute-api` ARN after the API's id, as the template writes it: the last
 * literal of its `Fn::Join` (`/$default/GET/editor/issues/*`). The id is the stateful stack's
 * API's, read from that stack.
 */
function executeApiPath(arn: unknown): string {
  const parts = (arn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  expect(JSON.stringify(inStatefulTerms(synthesized, parts.at(-2)))).toBe(
    JSON.stringify({ Ref: apiId() }),
  );
  expect(JSON.stringify(parts.slice(0, 3))).toBe(
    JSON.stringify(['arn:', { Ref: 'AWS::Partition' }, ':execute-api:']),
  );
  return String(parts.at(-1));
}

/** The managed policy of a role, as the template has it. */
function rolePolicy(role: EditorRole) {
  const policy = resources[logicalId(synthesized.stateless.editorPolicies[role].node.defaultChild)];
  return policy?.Properties as {
    ManagedPolicyName: string;
    PolicyDocument: { Statement: Statement[] };
  };
}

/** Whether IAM's `*` (any characters, `/` included) lets `pattern` match `value`. */
function iamMatches(pattern: string, value: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(value);
}

describe('the /editor routes of the HTTP API', () => {
  it('include one route per entry of the route table, each behind IAM and invoking the editor-api function', () => {
    const { editorApi } = synthesized.stateless.functions;
    const byKey = new Map(routes().map((route) => [route.RouteKey, route]));

    for (const route of editorRoutes) {
      const routeKey = `${route.method} ${editorRoutePath(route.path)}`;
      expect({ routeKey, found: byKey.get(routeKey)?.AuthorizationType }).toEqual({
        routeKey,
        found: 'AWS_IAM',
      });
      expect(byKey.get(routeKey)?.invokes).toContain(functionRef(editorApi));
    }
    expect(byKey.has('GET /editor/issues/{id}/timeline')).toBe(true);
  });

  it('send anything else under /editor to the editor-api function, behind IAM too', () => {
    const { editorApi } = synthesized.stateless.functions;
    const editor = routes().filter((route) => /^\S+ \/editor(\/|$)/.test(route.RouteKey));
    const others = editor.filter(
      (route) =>
        !editorRoutes.some(
          (entry) => route.RouteKey === `${entry.method} ${editorRoutePath(entry.path)}`,
        ),
    );

    expect(editor).toHaveLength(editorRoutes.length + 2);
    expect(others.map((route) => route.RouteKey).sort()).toEqual([
      'ANY /editor',
      'ANY /editor/{proxy+}',
    ]);
    for (const route of editor) {
      expect(route.AuthorizationType).toBe('AWS_IAM');
      expect(route.invokes).toContain(functionRef(editorApi));
    }
  });

  it('leave the public function only / and /{proxy+}', () => {
    const { httpApi } = synthesized.stateless.functions;
    const publicRoutes = routes().filter((route) => route.invokes.includes(functionRef(httpApi)));

    expect(publicRoutes.map((route) => route.RouteKey).sort()).toEqual(['ANY /{proxy+}', 'GET /']);
  });

  it('map each route table path to API Gateway’s form and to IAM’s', () => {
    expect(editorRoutePath('/issues/:id/pause')).toBe('/editor/issues/{id}/pause');
    expect(editorPolicyPath('/issues/:id/pause')).toBe('/editor/issues/*/pause');
    expect(editorPolicyPath('/schedule')).toBe('/editor/schedule');
  });
});

describe('the editor-api function', () => {
  const editorApi = () => synthesized.stateless.functions.editorApi;
  const properties = () => resources[logicalId(editorApi().node.defaultChild)]?.Properties ?? {};
  const environment = () =>
    (properties().Environment as { Variables: Record<string, unknown> }).Variables;

  it('runs editor-api.ts for 30 s at most (the HTTP API’s limit), with the issue builder’s memory', () => {
    const builder =
      resources[logicalId(synthesized.stateless.functions.issueBuilder.node.defaultChild)];

    expect(editorApi().handlerName).toBe('editor-api');
    expect(properties().Timeout).toBe(30);
    expect(properties().MemorySize).toBe(builder?.Properties.MemorySize);
  });

  it('may read and write the items of the tables the editor works on, no more than it uses', () => {
    for (const table of ['subscribers', 'issues', 'sends'] as const) {
      expect({ table, actions: actionsOn(editorApi(), tableId(table)) }).toEqual({
        table,
        actions: [
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:UpdateItem',
        ],
      });
    }
    expect(actionsOn(editorApi(), tableId('suppressions'))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    expect(actionsOn(editorApi(), tableId('articles'))).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:Scan',
    ]);
  });

  it('may only add audit records and query them: none can be changed or deleted', () => {
    expect(actionsOn(editorApi(), tableId('audit'))).toEqual([
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    expect(environment()).toHaveProperty(tables.audit.env);
  });

  it('may not touch a table itself (delete, update, describe), nor use wildcard actions', () => {
    const actions = statementsOf(editorApi()).flatMap((statement) => asList(statement.Action));
    const onTables = actions.filter((action) => action.startsWith('dynamodb:'));

    expect(onTables.length).toBeGreaterThan(0);
    for (const action of onTables) {
      expect(action).toMatch(
        /^dynamodb:(Get|BatchGet|Query|Scan|Put|Update|Delete|BatchWrite)Item$|^dynamodb:(Query|Scan)$/,
      );
    }
    expect(actions).not.toContain('dynamodb:DeleteTable');
    for (const action of actions) expect(action).not.toMatch(/\*/);
    for (const statement of statementsOf(editorApi())) expect(statement.Effect).toBe('Allow');
  });

  it('may read and write the archive bucket under issues/, media/ and rendered/ only', () => {
    const bucket = statefulId(synthesized.stateful.archiveBucket.node.defaultChild);
    const objects = statementsOf(editorApi()).filter(
      (statement) =>
        JSON.stringify(statement.Resource).includes(bucket) &&
        asList(statement.Action).includes('s3:PutObject'),
    );

    expect(objects).toHaveLength(1);
    expect(asList(objects[0]?.Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    const prefixes = asList(objects[0]?.Resource).map((arn) => {
      const parts = (arn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      return parts.at(-1);
    });
    expect(prefixes).toEqual(['/issues/*', '/media/*', '/rendered/*']);
    expect(environment()).toHaveProperty(buckets.archive.env);
  });

  it('may send to the send queue, and only look at the SES events queues', () => {
    const id = (name: string) =>
      logicalId(synthesized.stateless.node.findChild(name).node.defaultChild);

    expect(actionsOn(editorApi(), id('SendQueue'))).toEqual(
      expect.arrayContaining(['sqs:SendMessage']),
    );
    for (const queue of ['SesEventsQueue', 'SesEventsDeadLetterQueue']) {
      expect({ queue, actions: actionsOn(editorApi(), id(queue)) }).toEqual({
        queue,
        actions: ['sqs:GetQueueAttributes'],
      });
    }
    expect(actionsOn(editorApi(), id('SendDeadLetterQueue'))).toEqual([]);
    for (const definition of [queues.send, queues.sesEvents, queues.sesEvents.deadLetter]) {
      expect(environment()).toHaveProperty(definition.env);
    }
  });

  it('may send email only as the SES identity with the configuration set, and read the link key', () => {
    const sending = statementsOf(editorApi()).filter((statement) =>
      asList(statement.Action).includes('ses:SendRawEmail'),
    );
    const secret = statefulId(synthesized.stateful.tokenKey.node.defaultChild);

    expect(sending).toHaveLength(1);
    expect(asList(sending[0]?.Action)).toEqual(['ses:SendRawEmail']);
    const scope = JSON.stringify(sending[0]?.Resource);
    expect(scope).toContain(`:configuration-set/${committedConfig.configurationSet}"`);
    expect(asList(sending[0]?.Resource)).toHaveLength(2);
    expect(actionsOn(editorApi(), secret)).toEqual(
      expect.arrayContaining(['secretsmanager:GetSecretValue']),
    );
    expect(environment()).toHaveProperty(TOKEN_KEY_SECRET_ENV);
  });

  it('may read the link keys and store them again (PutSecretValue), on that one secret only', () => {
    const linkKeys = statefulId(synthesized.stateful.linkKeys.node.defaultChild);
    const tokenKey = statefulId(synthesized.stateful.tokenKey.node.defaultChild);
    const putting = statementsOf(editorApi()).filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('secretsmanager:Put')),
    );

    expect(actionsOn(editorApi(), linkKeys)).toEqual(
      expect.arrayContaining(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']),
    );
    expect(putting).toHaveLength(1);
    expect(asList(putting[0]?.Action)).toEqual(['secretsmanager:PutSecretValue']);
    expect(asList(putting[0]?.Resource)).toHaveLength(1);
    expect(JSON.stringify(putting[0]?.Resource)).toContain(linkKeys);
    // The hash key never rotates: read, never written.
    expect(actionsOn(editorApi(), tokenKey)).not.toContain('secretsmanager:PutSecretValue');
    expect(environment()).toHaveProperty(LINK_KEYS_SECRET_ENV);
  });
});

describe('the public function', () => {
  it('reaches only the tables of the public pages, and the sign-ups only to add to them', () => {
    const { httpApi } = synthesized.stateless.functions;
    const reached = (Object.keys(tables) as (keyof typeof tables)[]).filter(
      (table) => actionsOn(httpApi, tableId(table)).length > 0,
    );

    expect(reached.sort()).toEqual([
      'articles',
      'counters',
      'sends',
      'signups',
      'subscribers',
      'suppressions',
    ]);
    expect(actionsOn(httpApi, tableId('sends'))).toEqual(['dynamodb:UpdateItem']);
    expect(actionsOn(httpApi, tableId('signups'))).toEqual(['dynamodb:PutItem']);
    expect(actionsOn(httpApi, tableId('counters')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(
      statementsOf(httpApi).some((statement) =>
        asList(statement.Action).includes('sqs:SendMessage'),
      ),
    ).toBe(false);
  });
});

describe('the role policies', () => {
  it('are three customer managed policies named after the stack and the role', () => {
    const names = editorRoles.map((role) => rolePolicy(role).ManagedPolicyName);

    expect(names).toEqual([
      `${synthesized.stateless.stackName}-NewsletterViewer`,
      `${synthesized.stateless.stackName}-NewsletterEditor`,
      `${synthesized.stateless.stackName}-NewsletterSender`,
    ]);
    expect(
      Object.values(resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy'),
    ).toHaveLength(3);
  });

  it('each allow execute-api:Invoke on exactly the routes of their role, on the $default stage', () => {
    for (const role of editorRoles) {
      const statements = rolePolicy(role).PolicyDocument.Statement;
      expect(statements).toHaveLength(1);
      const [statement] = statements;
      expect(statement?.Effect).toBe('Allow');
      expect(statement?.Action).toBe('execute-api:Invoke');

      const granted = asList(statement?.Resource).map(executeApiPath).sort();

      expect({ role, granted }).toEqual({
        role,
        granted: routesOfRole(role)
          .map((route) => `/$default/${route.method}${editorPolicyPath(route.path)}`)
          .sort(),
      });
    }
  });

  it('grow with the role: a viewer reads, an editor also edits, a sender also sends', () => {
    expect(routesOfRole('viewer').map(key)).not.toContain('GET /subscribers');
    expect(routesOfRole('editor').map(key)).toContain('GET /subscribers/export');
    expect(routesOfRole('editor').map(key)).not.toContain('POST /issues/:id/send');
    expect(routesOfRole('sender').map(key)).toContain('POST /issues/:id/send');
  });

  it('grant the link keys’ routes (list, rotate, retire) in the sender policy only', () => {
    const keyRoutes = [
      '/$default/GET/editor/keys',
      '/$default/POST/editor/keys',
      '/$default/POST/editor/keys/*/retire',
    ];
    const granted = (role: EditorRole) =>
      asList(rolePolicy(role).PolicyDocument.Statement[0]?.Resource).map(executeApiPath);

    expect(granted('sender')).toEqual(expect.arrayContaining(keyRoutes));
    for (const role of ['viewer', 'editor'] as const) {
      expect({ role, keys: granted(role).filter((path) => path.includes('/keys')) }).toEqual({
        role,
        keys: [],
      });
    }
  });

  it('let no wildcard of a role reach a route of a higher role', () => {
    const sampleId = '01K0000000000000000000000A';
    for (const role of editorRoles) {
      const patterns = routesOfRole(role).map(
        (route) => `${route.method}${editorPolicyPath(route.path)}`,
      );
      const above = editorRoutes.filter(
        (route) => editorRoles.indexOf(route.role) > editorRoles.indexOf(role),
      );
      for (const route of above) {
        const path = `${route.method}${editorPolicyPath(route.path).replaceAll('*', sampleId)}`;
        expect({
          role,
          route: key(route),
          matchedBy: patterns.filter((p) => iamMatches(p, path)),
        }).toEqual({
          role,
          route: key(route),
          matchedBy: [],
        });
      }
    }
  });

  it('are given as stack outputs with their ARNs', () => {
    const outputs = synthesized.statelessTemplate.toJSON().Outputs as Record<
      string,
      { Value: unknown }
    >;

    for (const role of editorRoles) {
      const id = logicalId(synthesized.stateless.editorPolicies[role].node.defaultChild);
      const output = Object.values(outputs).filter(
        (candidate) => JSON.stringify(candidate.Value) === JSON.stringify({ Ref: id }),
      );
      expect({ role, outputs: output.length }).toEqual({ role, outputs: 1 });
    }
  });
});

describe('the audit table', () => {
  const table = () => synthesized.statefulTemplate.toJSON().Resources[tableId('audit')] as Resource;

  it('lists records by time: one partition, sorted by time then id', () => {
    expect(table().Properties.KeySchema).toEqual([
      { AttributeName: 'trail', KeyType: 'HASH' },
      { AttributeName: 'atId', KeyType: 'RANGE' },
    ]);
  });

  it('has point-in-time recovery, deletion protection and the encryption of the other tables, and is kept', () => {
    const articles = synthesized.statefulTemplate.toJSON().Resources[
      tableId('articles')
    ] as Resource;

    expect(table().DeletionPolicy).toBe('Retain');
    expect(table().Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table().Properties.SSESpecification).toEqual(articles.Properties.SSESpecification);
  });
});

describe('the CliEnvironment output', () => {
  it('gives the editor API’s base URL, the API’s endpoint with /editor, and the region', () => {
    const outputs = synthesized.statelessTemplate.toJSON().Outputs as Record<
      string,
      { Value: unknown }
    >;
    const pairs = JSON.stringify(inStatefulTerms(synthesized, outputs.CliEnvironment?.Value));

    expect(pairs).toContain(
      `${EDITOR_API_URL_ENV}=",{"Fn::GetAtt":["${apiId()}","ApiEndpoint"]},"/editor `,
    );
    expect(pairs).toContain('"AWS_REGION=",{"Ref":"AWS::Region"}');
  });
});
