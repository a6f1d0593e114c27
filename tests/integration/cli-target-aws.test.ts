import { describe, expect, it } from 'vitest';
import { freshHome, runCli } from './support/run-cli.ts';

describe('NEWSLETTER_TARGET=aws: the CLI on a deployed stack', () => {
  it("names every variable of the stack's CliEnvironment output that is missing", async () => {
    const result = await runCli(await freshHome(), ['articles', 'list'], {
      NEWSLETTER_TARGET: 'aws',
      NEWSLETTER_EDITOR_API_URL: '',
      AWS_REGION: '',
      AWS_DEFAULT_REGION: '',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "NEWSLETTER_TARGET=aws needs the stack's variables (its CliEnvironment output); missing: NEWSLETTER_EDITOR_API_URL, AWS_REGION",
    );
  });

  it('refuses an editor API address that is not https:, which would carry signatures in clear', async () => {
    const result = await runCli(await freshHome(), ['issues', 'list'], {
      NEWSLETTER_TARGET: 'aws',
      NEWSLETTER_EDITOR_API_URL: 'http://api.example.com/editor',
      AWS_REGION: 'eu-west-1',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NEWSLETTER_EDITOR_API_URL: must be an https: URL');
  });

  it.each([['serve'], ['demo']])('refuses %s, which works locally only', async (command) => {
    const result = await runCli(await freshHome(), [command], { NEWSLETTER_TARGET: 'aws' });

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
