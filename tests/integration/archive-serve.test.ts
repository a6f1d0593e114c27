import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { freshHome, repoRoot } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';

const samples = join(repoRoot, 'samples/articles');
afterEach(stopServes);

describe('the web archive, end to end', () => {
  it('serves a sent issue at its "view in browser" link, and each article in full', async () => {
    const home = await freshHome();
    const { base, cli } = await startServe(home);
    await cli(['import', join(samples, 'midnight-museum-tour.txt')]);
    await cli(['subscribers', 'add', 'reader@example.com']);

    const sent = await cli(['send', '--json']);
    const { issueId } = JSON.parse(sent.stdout) as { issueId: string };

    const local = await readFile(join(home, 'issues', `${issueId}.html`), 'utf8');
    const response = await fetch(`${base}/issues/${issueId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toBe(local);
    const viewInBrowser = parse(html)
      .querySelectorAll('a')
      .filter((a) => a.text.trim() === 'View in browser')
      .map((a) => a.getAttribute('href'));
    expect(viewInBrowser[0]).toBe(`${base}/issues/${issueId}`);

    const id = 'inside-the-midnight-museum-tour-that-sold-out-in-four-minutes';
    const article = await fetch(`${base}/articles/${id}`);
    expect(article.status).toBe(200);
    expect(parse(await article.text()).querySelector('h1')?.text).toBe(
      'Inside the Midnight Museum Tour That Sold Out in Four Minutes',
    );
  });
});
