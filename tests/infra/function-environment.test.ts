import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerName } from '../../infra/newsletter-function.ts';
import { type SynthesizedApp, synthApp } from './support/synth-app.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** One sample event per trigger. */
const events: Record<HandlerName, string> = {
  'http-api': fixture('http-api-get-health.json'),
  'scheduled-issue': fixture('scheduler-invocation.json'),
  'send-batch': fixture('sqs-send-page.json'),
  'ses-events': fixture('sqs-ses-delivery.json'),
};

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthApp();
});
afterAll(() => synthesized.cleanUp());

/**
 * Invokes a handler from its source in a fresh process that has exactly the variables its
 * function gets from the stack (each value the stack only knows once deployed replaced by a
 * stand-in) and AWS endpoints where nothing answers. What the handler reads before its first
 * AWS call is checked; what it would read after that is not.
 */
async function invokeWithFunctionEnvironment(handler: HandlerName) {
  const fn = Object.values(synthesized.stateless.functions).find(
    (candidate) => candidate.handlerName === handler,
  );
  if (!fn) throw new Error(`no function for ${handler}`);
  const resource = synthesized.statelessTemplate.toJSON().Resources[
    synthesized.stateless.getLogicalId(fn.node.defaultChild as CfnElement)
  ] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(resource.Properties.Environment.Variables)) {
    environment[name] = typeof value === 'string' ? value : `stand-in-${name.toLowerCase()}`;
  }
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'tests/infra/support/invoke-handler.ts', handler, events[handler]],
    {
      cwd: repo,
      env: {
        PATH: process.env.PATH ?? '',
        ...environment,
        NEWSLETTER_PUBLIC_BASE_URL: 'https://news.example.com',
        NODE_OPTIONS: '',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'stand-in',
        AWS_SECRET_ACCESS_KEY: 'stand-in',
        // Nothing listens on port 9 (discard): every AWS call fails at once.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_MAX_ATTEMPTS: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    outcome: 'returned' | 'threw';
    message?: string;
    code?: string;
  };
}

describe('each handler, given only its function’s environment', () => {
  it.each(Object.keys(events) as HandlerName[])(
    '%s finds every variable it reads, and gets as far as calling AWS',
    async (handler) => {
      const ended = await invokeWithFunctionEnvironment(handler);

      expect(ended.message ?? '').not.toMatch(/is not set/);
      if (ended.outcome === 'threw') {
        expect(`${ended.code} ${ended.message}`).toMatch(/ECONNREFUSED|connect/i);
      }
    },
  );
});
