import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signedFetch } from '#adapters/signed-fetch.ts';
import { readLiveServices } from '#cli/local/services-record.ts';
import { freshHome, repoRoot } from '../support/run-cli.ts';
import { startServe, stopServes } from '../support/serve-cli.ts';

let home: string | undefined;

afterEach(async () => {
  await stopServes();
  if (home) await rm(home, { recursive: true, force: true });
  home = undefined;
});

/** The key pair and region of the state folder's local services, as serve recorded them. */
async function localCredentials(stateDir: string) {
  const live = await readLiveServices(stateDir);
  const env = live?.env ?? {};
  expect(env.AWS_ACCESS_KEY_ID).toMatch(/\S/);
  expect(env.AWS_SECRET_ACCESS_KEY).toMatch(/\S/);
  expect(env.AWS_REGION).toMatch(/\S/);
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    region: env.AWS_REGION ?? '',
  };
}

describe('newsletter serve, /editor', () => {
  it("answers only requests signed with the local credentials, and a signed draft's timeline names the iam: signer", async () => {
    home = await freshHome();
    const { base, output, cli } = await startServe(home);
    const { accessKeyId, secretAccessKey, region } = await localCredentials(home);
    const signed = (request: Request, secret = secretAccessKey) =>
      signedFetch(request, { region, credentials: { accessKeyId, secretAccessKey: secret } });

    expect(output()).toContain(`Editor API at ${base}/editor (SigV4-signed)`);

    // Signed with the local key pair: the list of issues, empty on a fresh folder.
    const listed = await signed(new Request(`${base}/editor/issues`));
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual([]);

    // Unsigned: 401, in the editor API's error format.
    const unsigned = await fetch(`${base}/editor/issues`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'unsigned' } });

    // The local key id with another secret: 403.
    const forged = await signed(new Request(`${base}/editor/issues`), 'not-the-local-secret');
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'signature-mismatch' } });

    // The public pages stay open.
    expect((await fetch(`${base}/health`)).status).toBe(200);

    const imported = await cli([
      'import',
      join(repoRoot, 'samples/articles/midnight-museum-tour.txt'),
    ]);
    expect(imported.code).toBe(0);

    const drafted = await signed(
      new Request(`${base}/editor/issues`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'Signed from the editor' }),
      }),
    );
    expect(drafted.status).toBe(201);
    const issue = (await drafted.json()) as {
      issueId: string;
      subject: string;
      timeline: Array<{ actor: string; action: string }>;
    };
    expect(issue.subject).toBe('Signed from the editor');
    expect(issue.timeline).toEqual([
      expect.objectContaining({ action: 'draft', actor: `iam:local/${accessKeyId}` }),
    ]);

    // The CLI reads the same timeline from the same services.
    const shown = await cli(['issues', 'show', issue.issueId, '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).timeline).toEqual([
      expect.objectContaining({ action: 'draft', actor: `iam:local/${accessKeyId}` }),
    ]);
  }, 90_000);
});
