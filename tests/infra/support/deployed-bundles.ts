import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stackNames } from '../../../infra/newsletter-app.ts';
import type { HandlerName } from '../../../infra/newsletter-function.ts';
import { synthApp } from './synth-app.ts';

const repoNodeModules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));
const invoker = fileURLToPath(new URL('./invoke-bundle.mjs', import.meta.url));

/** One Lambda function of the synthesized stateless stack, and the bundle it would run. */
export interface DeployedBundle {
  handler: HandlerName;
  /** The function's logical id in the template. */
  logicalId: string;
  /** The bundle's file in the cloud assembly (`asset.<hash>/index.mjs`). */
  entry: string;
  /** `Environment.Variables` as the template gives them: strings, or intrinsics for resources. */
  variables: Record<string, unknown>;
  /** The function's `Timeout`, in seconds. */
  timeoutSeconds: number;
}

export interface SynthesizedBundles {
  bundles: Record<HandlerName, DeployedBundle>;
  /** Deletes the cloud assembly. */
  cleanUp(): void;
}

interface FunctionResource {
  Type: string;
  Properties: {
    Code: { S3Key: string };
    Environment: { Variables: Record<string, unknown> };
    Timeout: number;
    Tags?: { Key: string; Value: string }[];
  };
}

interface AssetManifest {
  files: Record<
    string,
    { source: { path: string }; destinations: Record<string, { objectKey: string }> }
  >;
}

/**
 * Synthesizes the app as `cdk synth` does, bundles included (esbuild, stubbed modules,
 * templates copied beside each bundle), and finds each function's bundle through the
 * template's `Code.S3Key` and the stack's asset manifest. The cloud assembly gets a
 * `node_modules` holding only `@aws-sdk` and `@smithy`, which the Lambda runtime provides
 * and the bundles leave out: any other package a bundle imports is missing, as on Lambda.
 */
export function synthBundles(): SynthesizedBundles {
  const synthesized = synthApp({ context: { 'aws:cdk:bundling-stacks': ['**'] } });
  const { outdir } = synthesized;
  mkdirSync(join(outdir, 'node_modules'));
  for (const scope of ['@aws-sdk', '@smithy']) {
    symlinkSync(join(repoNodeModules, scope), join(outdir, 'node_modules', scope), 'dir');
  }
  const manifest = JSON.parse(
    readFileSync(join(outdir, `${stackNames.stateless}.assets.json`), 'utf8'),
  ) as AssetManifest;
  const folderOf = (objectKey: string) => {
    const asset = Object.values(manifest.files).find((file) =>
      Object.values(file.destinations).some((destination) => destination.objectKey === objectKey),
    );
    if (!asset) throw new Error(`no asset in the manifest is uploaded as ${objectKey}`);
    return join(outdir, asset.source.path);
  };
  const resources = synthesized.statelessTemplate.toJSON().Resources as Record<
    string,
    FunctionResource
  >;
  const bundles: Partial<Record<HandlerName, DeployedBundle>> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const handler = resource.Properties.Tags?.find((tag) => tag.Key === 'newsletter:handler')
      ?.Value as HandlerName | undefined;
    if (!handler) continue;
    bundles[handler] = {
      handler,
      logicalId,
      entry: join(folderOf(resource.Properties.Code.S3Key), 'index.mjs'),
      variables: resource.Properties.Environment.Variables,
      timeoutSeconds: resource.Properties.Timeout,
    };
  }
  return {
    bundles: bundles as Record<HandlerName, DeployedBundle>,
    cleanUp: synthesized.cleanUp,
  };
}

/**
 * The function's variables exactly as the template gives them, except each value that only a
 * deployment knows (a table's name, a queue's URL: an intrinsic in the template), which is
 * replaced by its local stand-in.
 * @throws Error naming a deployment-only variable that has no stand-in in `standIns`
 */
export function functionVariables(
  bundle: DeployedBundle,
  standIns: Record<string, string>,
): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(bundle.variables)) {
    if (typeof value === 'string') {
      variables[name] = value;
      continue;
    }
    const standIn = standIns[name];
    if (standIn === undefined) {
      throw new Error(
        `${bundle.handler}: ${name} names a deployed resource (${JSON.stringify(value)}); give it a local stand-in`,
      );
    }
    variables[name] = standIn;
  }
  return variables;
}

/** How an invocation ended, and what the function logged. */
export type Invocation<Result> = (
  | { outcome: 'returned'; result: Result }
  | { outcome: 'threw'; name?: string; message?: string; code?: string }
) & { logs: string };

/**
 * Invokes the bundle's `handler` once with `event`, in a plain Node.js process of its own
 * whose environment is `environment` and nothing else (no `PATH`, no test variables).
 * The context's remaining time counts down from the function's timeout.
 */
export function invokeBundle<Result = unknown>(
  bundle: DeployedBundle,
  environment: Record<string, string>,
  event: unknown,
): Promise<Invocation<Result>> {
  return new Promise((resolve, reject) => {
    const child = fork(invoker, [], {
      env: environment,
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let logs = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      logs += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      logs += chunk.toString('utf8');
    });
    let ended: Omit<Invocation<Result>, 'logs'> | undefined;
    child.on('message', (message) => {
      ended = message as Omit<Invocation<Result>, 'logs'>;
    });
    child.on('error', reject);
    // 'close' rather than 'exit': it comes once the output is read to its end.
    child.on('close', (code) => {
      if (ended) resolve({ ...ended, logs } as Invocation<Result>);
      else reject(new Error(`${bundle.handler} exited (${code}) without an answer:\n${logs}`));
    });
    child.send({
      bundle: bundle.entry,
      event,
      functionName: bundle.logicalId,
      timeoutMs: bundle.timeoutSeconds * 1000,
    });
  });
}
