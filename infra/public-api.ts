import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Config } from '#core/common/config.ts';
import type { DeploymentSettings } from './deployment-settings.ts';

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
 * request without its query string, on the custom domain when there is one. Its routes
 * come later ({@link routePublicApp}), once the function that answers them exists.
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
  const accessLogs = new LogGroup(scope, 'PublicApiAccessLogs', {
    retention: RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.DESTROY,
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
  return { api, ...(domain ? { domain } : {}), publicBaseUrl };
}

/**
 * Sends every request to the public app: `/` and `/{proxy+}` for anyone, and `/editor`
 * with everything under it only when signed with SigV4 (IAM authorization).
 */
export function routePublicApp(api: HttpApi, publicApp: IFunction): void {
  const integration = new HttpLambdaIntegration('PublicApp', publicApp);
  const publicRoutes = [
    ...api.addRoutes({ path: '/', methods: [HttpMethod.GET], integration }),
    ...api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration }),
  ];
  for (const route of publicRoutes) {
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The public app is for anyone: RFC 8058 forbids authorization on one-click ' +
        'unsubscribe, and subscribe, confirm and the archive are public pages. Editor ' +
        'routes live under /editor, behind IAM authorization.',
    });
  }
  // /editor is reserved for editor routes and takes only signed (SigV4) requests, so that
  // no editor route can ever be served to the public by accident. API Gateway matches the
  // most specific route, so these win over /{proxy+}.
  const editorAuthorizer = new HttpIamAuthorizer();
  for (const path of ['/editor', '/editor/{proxy+}']) {
    api.addRoutes({ path, methods: [HttpMethod.ANY], integration, authorizer: editorAuthorizer });
  }
}
