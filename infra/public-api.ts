import { Annotations, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  DomainName,
  HttpApi,
  HttpMethod,
  HttpRoute,
  type HttpRouteIntegration,
  HttpRouteKey,
  HttpStage,
  type IHttpApi,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Config } from '#core/common/config.ts';
import {
  EDITOR_API_BASE_PATH,
  type EditorRole,
  editorRoles,
  editorRoutes,
  routesOfRole,
} from '#core/editor/editor-routes.ts';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.ts';
import type { DeploymentSettings } from './deployment-settings.ts';

/**
 * The synthesis warning, given without a custom domain, that every mailed link carries the
 * API's id. It is left unacknowledged on purpose, so that every synthesis and deploy shows it.
 */
export const LINKS_CARRY_API_ID = 'newsletter:linksCarryTheApiId';

/** Requests per second the public API takes on average, and in a burst. */
const API_THROTTLE = { rateLimit: 100, burstLimit: 200 };

/** The public HTTP API, before any route. */
export interface PublicApi {
  api: HttpApi;
  /** The custom domain, when the deployment settings give one. */
  domain?: DomainName;
  /** The base of every mailed link: the custom domain, else the API's own URL. */
  publicBaseUrl: string;
}

/**
 * The public HTTP API (`PublicApi`) with its `$default` stage: throttled, logging each
 * request without its query string, on the custom domain when there is one. It belongs to
 * the stateful stack, whose address every mailed link carries; its routes are the stateless
 * stack's ({@link routePublicApp}, {@link routeEditorApi}), which the stage deploys as they
 * change. Without a custom domain the links carry the API's id, which the synthesis warns of.
 */
export function createPublicApi(
  scope: Construct,
  config: Config,
  settings: DeploymentSettings,
): PublicApi {
  const domain = settings.customDomain
    ? new DomainName(scope, 'CustomDomain', {
        domainName: settings.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(
          scope,
          'CustomDomainCertificate',
          settings.customDomain.certificateArn,
        ),
      })
    : undefined;
  const api = new HttpApi(scope, 'PublicApi', {
    description: `${config.listName}: subscribe, confirm, unsubscribe and the archive`,
    createDefaultStage: false,
  });
  // Kept, as the tables are, if the stack is deleted: without a custom domain its id is in
  // every link already mailed, and a new API would have another.
  api.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const accessLogs = new LogGroup(scope, 'PublicApiAccessLogs', {
    // A year, as AWS Control Tower's CT.CLOUDWATCH.PR.2 asks, to look back at abuse.
    retention: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(accessLogs).acknowledge({
    id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
    reason:
      'CloudWatch Logs encrypts every log group at rest with its own keys, and these lines ' +
      'carry no address nor token (the query string is left out); a customer managed key ' +
      'would add a key policy for the logs service and its cost, while IAM already decides ' +
      'who reads the logs.',
  });
  new HttpStage(scope, 'PublicApiStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: API_THROTTLE,
    ...(domain ? { domainMapping: { domainName: domain } } : {}),
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      // The path only, never the query string: it carries subscriber tokens.
      format: AccessLogFormat.custom(
        JSON.stringify({
          requestId: AccessLogField.contextRequestId(),
          time: AccessLogField.contextRequestTime(),
          ip: AccessLogField.contextIdentitySourceIp(),
          method: AccessLogField.contextHttpMethod(),
          route: '$context.routeKey',
          path: AccessLogField.contextPath(),
          status: '$context.status',
          protocol: AccessLogField.contextProtocol(),
          responseLength: '$context.responseLength',
          integrationLatency: '$context.integrationLatency',
          integrationError: '$context.integrationErrorMessage',
          caller: AccessLogField.contextIdentityUserArn(),
        }),
      ),
    },
  });
  // The API's URL is built from its id alone, so the functions can learn it without
  // depending on the stage, the routes or the integrations that depend on them.
  const stack = Stack.of(scope);
  const publicBaseUrl = settings.customDomain
    ? `https://${settings.customDomain.domainName}`
    : `https://${api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  if (!settings.customDomain) {
    Annotations.of(api).addWarningV2(
      LINKS_CARRY_API_ID,
      `No customDomain: every mailed link (unsubscribe, confirm, the archive) carries this ` +
        `API's id. They outlive any redeploy of the stateless stack, but not a deletion of ` +
        `${stack.stackName}, a move to another account or region, nor the update of a ` +
        `deployment whose API was still in the stateless stack (README, Deploying to AWS). ` +
        `Set -c customDomain=… -c certificateArn=… before mailing anything.`,
    );
  }
  return { api, ...(domain ? { domain } : {}), publicBaseUrl };
}

/** What {@link addRoutes} routes: a path, its methods, where they go and who may call them. */
interface RoutesOptions {
  path: string;
  methods: HttpMethod[];
  integration: HttpRouteIntegration;
  authorizer?: IHttpRouteAuthorizer;
}

/**
 * One route per method, as `HttpApi.addRoutes` adds them, but on an API that may be another
 * stack's: each route is a child of `api` as the calling stack sees it (the stateless stack's
 * import of the stateful one's API), so the route, its integration and the permission to
 * invoke the function all belong to the calling stack, and the API's stack refers to none.
 */
function addRoutes(api: IHttpApi, options: RoutesOptions): HttpRoute[] {
  const { path, methods, integration, authorizer } = options;
  return methods.map(
    (method) =>
      new HttpRoute(api, `${method}${path}`, {
        httpApi: api,
        routeKey: HttpRouteKey.with(path, method),
        integration,
        ...(authorizer ? { authorizer } : {}),
      }),
  );
}

/**
 * Sends every request to the public app, `/` and `/{proxy+}`, for anyone; `/editor` and
 * everything under it are the editor API's ({@link routeEditorApi}), and take precedence.
 */
export function routePublicApp(api: IHttpApi, publicApp: IFunction): void {
  const integration = new HttpLambdaIntegration('PublicApp', publicApp);
  const publicRoutes = [
    ...addRoutes(api, { path: '/', methods: [HttpMethod.GET], integration }),
    ...addRoutes(api, { path: '/{proxy+}', methods: [HttpMethod.ANY], integration }),
  ];
  const publicByDesign =
    'The public app is for anyone: RFC 8058 forbids authorization on one-click ' +
    'unsubscribe, and subscribe, confirm and the archive are public pages. Editor ' +
    'routes live under /editor, behind IAM authorization.';
  for (const route of publicRoutes) {
    Validations.of(route).acknowledge(
      { id: 'AwsSolutions-APIG4', reason: publicByDesign },
      {
        id: 'cdk-validator-cfnguard::api_gw_v2_authorization_type_configured_check',
        reason: publicByDesign,
      },
    );
  }
  invokedFromThisAccountOnly(publicRoutes);
}

/**
 * Names this account as the source in each permission that a route's Lambda integration gives
 * API Gateway to invoke the function, beside the route's ARN (`SourceArn`), as AWS Control
 * Tower's CT.LAMBDA.PR.2 asks of any permission given to a service.
 */
function invokedFromThisAccountOnly(routes: readonly HttpRoute[]): void {
  for (const route of routes) {
    const { account } = Stack.of(route);
    for (const construct of route.node.findAll()) {
      if (construct instanceof CfnPermission) construct.sourceAccount = account;
    }
    // The control reads SourceAccount only as a literal string, which a synthesis for a
    // deployment writes (the account of its credentials), but an offline one cannot.
    if (Token.isUnresolved(account)) {
      Validations.of(route).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
        reason:
          'Without credentials the account is unknown, so the permission names it as the ' +
          'deploying account (Ref AWS::AccountId), which this control cannot read; a ' +
          'synthesis for a deployment writes the account itself, and is checked.',
      });
    }
  }
}

/**
 * The editor API's base URL: `/editor` on the API's own endpoint, which answers SigV4-signed
 * requests whether or not a custom domain is set.
 */
export function editorApiBaseUrl(api: IHttpApi): string {
  return `${api.apiEndpoint}${EDITOR_API_BASE_PATH}`;
}

/** An editor API path (`/issues/:id/pause`) as an HTTP API route's (`/editor/issues/{id}/pause`). */
export function editorRoutePath(path: string): string {
  return `${EDITOR_API_BASE_PATH}${path.replace(/:(\w+)/g, '{$1}')}`;
}

/**
 * An editor API path as an IAM policy names it in an `execute-api` ARN: below `/editor`,
 * each parameter replaced by `*`, which IAM matches with any value.
 */
export function editorPolicyPath(path: string): string {
  return `${EDITOR_API_BASE_PATH}${path.replace(/:\w+/g, '*')}`;
}

/**
 * Sends `/editor` and everything under it to the editor API's function, only when signed
 * with SigV4 (IAM authorization): one route per entry of the route table (`editorRoutes`),
 * so that IAM policies can allow each by its ARN, and `/editor` and `/editor/{proxy+}` for
 * anything else, which the function answers 404 in the API's format. No editor route can be
 * served to the public by accident: API Gateway matches the most specific route, so these
 * win over the public `/{proxy+}`.
 */
export function routeEditorApi(api: IHttpApi, editorApiFunction: IFunction): HttpRoute[] {
  const integration = new HttpLambdaIntegration('EditorApi', editorApiFunction);
  const authorizer = new HttpIamAuthorizer();
  const routes = [
    ...editorRoutes.flatMap((route) =>
      addRoutes(api, {
        path: editorRoutePath(route.path),
        methods: [HttpMethod[route.method]],
        integration,
        authorizer,
      }),
    ),
    ...[EDITOR_API_BASE_PATH, `${EDITOR_API_BASE_PATH}/{proxy+}`].flatMap((path) =>
      addRoutes(api, { path, methods: [HttpMethod.ANY], integration, authorizer }),
    ),
  ];
  invokedFromThisAccountOnly(routes);
  return routes;
}

/** The customer managed policies that let a principal call the editor API as each role. */
export type EditorRolePolicies = Record<EditorRole, ManagedPolicy>;

const policyNames: Record<EditorRole, string> = {
  viewer: 'NewsletterViewer',
  editor: 'NewsletterEditor',
  sender: 'NewsletterSender',
};

/**
 * One customer managed policy per role (`NewsletterViewer`, `NewsletterEditor`,
 * `NewsletterSender`, after the stack's name), each allowing `execute-api:Invoke` on exactly
 * the routes of the role (`routesOfRole`) on this API's `$default` stage, and nothing else.
 * Attach one to an editor's user, group or role.
 */
export function editorRolePolicies(scope: Construct, api: IHttpApi): EditorRolePolicies {
  const stack = Stack.of(scope);
  const policies = {} as EditorRolePolicies;
  for (const role of editorRoles) {
    const name = policyNames[role];
    const resources = routesOfRole(role).map((route) =>
      api.arnForExecuteApi(route.method, editorPolicyPath(route.path), '$default'),
    );
    const policy = new ManagedPolicy(scope, `${name}Policy`, {
      managedPolicyName: `${stack.stackName}-${name}`,
      description: `Lets a principal call the ${resources.length} editor API routes of the ${role} role`,
      statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources })],
    });
    for (const resource of resources.filter((arn) => arn.includes('*'))) {
      acknowledgeWildcardResource(
        policy,
        resource,
        'The wildcard stands for the id (of an issue, a subscriber, a job) in the path of ' +
          'one editor API route of this role; the method, the stage and the rest of the path ' +
          'are fixed, so any other path it matches is a route of the same role or none.',
      );
    }
    policies[role] = policy;
  }
  return policies;
}
