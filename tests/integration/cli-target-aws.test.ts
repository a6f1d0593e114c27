import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTargetEnv } from './support/aws-target-env.ts';
import { startProvisionedAws } from './support/local-aws.ts';
import { freshHome, repoRoot, runCli } from './support/run-cli.ts';

const good = join(repoRoot, 'samples/articles/midnight-museum-tour.txt');

describe('NEWSLETTER_TARGET=aws: the CLI on a deployed stack', () => {
  // Stands in for a deployed stack: the same APIs, reached only through the standard AWS
  // variables and the stack's resource variables, as an editor's shell would have them.
  let stack: Awaited<ReturnType<typeof startProvisionedAws>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await startProvisionedAws();
    env = awsTargetEnv(stack, 'https://d111111abcdef8.cloudfront.net');
  });
  afterAll(() => stack.stop());

  it('imports and lists articles through the stack, starting no embedded services', async () => {
    const home = await freshHome();

    const imported = await runCli(home, ['import', '--json', good], env);
    const listed = await runCli(home, ['articles', 'list', '--json'], env);

    expect(imported.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual(JSON.parse(imported.stdout).articles);
    expect(await readdir(home)).toEqual([]);
  });

  it('names every stack variable that is missing', async () => {
    const result = await runCli(await freshHome(), ['articles', 'list'], {
      NEWSLETTER_TARGET: 'aws',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /CliEnvironment.*ARTICLES_TABLE.*SEND_QUEUE_URL.*TOKEN_KEY_SECRET_ARN.*NEWSLETTER_MEDIA_BASE_URL/,
    );
  });

  it.each([['serve'], ['demo']])('refuses %s, which works locally only', async (command) => {
    const result = await runCli(await freshHome(), [command], env);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`newsletter ${command} works locally only`);
  });

  it('refuses an unknown target, naming the variable', async () => {
    const result = await runCli(await freshHome(), ['articles', 'list'], {
      NEWSLETTER_TARGET: 'prod',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NEWSLETTER_TARGET: must be aws or local');
  });
});
