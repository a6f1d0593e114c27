import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLinkKeys } from '#cli/local-link-keys.ts';
import { FIRST_KID, nextKid } from '#core/subscribers/link-keys.ts';
import { freshHome, repoRoot } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';
import { readOutbox } from './support/subscription-outbox.ts';

const articles = join(repoRoot, 'samples/articles');

afterEach(stopServes);

describe('rotating the link keys on the embedded services', () => {
  it('keeps the links mailed before a rotation working after it, until their key is retired', async () => {
    const home = await freshHome();
    const { cli } = await startServe(home);
    const statusOf = async (email: string) => {
      const list = JSON.parse((await cli(['subscribers', 'list', '--json'])).stdout) as {
        email: string;
        status: string;
      }[];
      return list.find((s) => s.email === email)?.status;
    };
    /** The one-click link of `email`'s copy of `issueId`, as the sender mailed it. */
    const linkOf = async (issueId: string, email: string) => {
      const copy = (await readOutbox(home)).find(
        (m) => m.record.destinations[0] === email && m.record.tags.issueId === issueId,
      );
      return copy?.listUnsubscribe ?? '';
    };
    const click = (url: string) =>
      fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
        redirect: 'manual',
      });
    const send = async (article: string) => {
      await cli(['import', join(articles, article)]);
      const sent = await cli(['send', '--json']);
      expect(sent.code).toBe(0);
      return JSON.parse(sent.stdout).issueId as string;
    };
    await cli(['subscribers', 'add', 'first@example.com']);
    await cli(['subscribers', 'add', 'second@example.com']);

    // An issue goes out before any rotation: its links carry no kid (the first key's).
    const before = await send('midnight-museum-tour.txt');
    const firstLink = await linkOf(before, 'first@example.com');
    const secondOldLink = await linkOf(before, 'second@example.com');
    expect(new URL(firstLink).searchParams.get('token')?.split('.')).toHaveLength(3);

    // A rotation, as `newsletter keys rotate` makes it, beside the running serve.
    const store = new LocalLinkKeys(home);
    const now = new Date();
    const kid = nextKid(now, (await store.current()).byKid.keys());
    await store.add(kid, now);

    // A link mailed before it still unsubscribes, one click, through serve's public routes.
    expect((await click(firstLink)).status).toBe(200);
    expect(await statusOf('first@example.com')).toBe('unsubscribed');

    // The next issue's links are signed with the new key.
    const after = await send('ugly-vegetable-menu.txt');
    const secondNewLink = await linkOf(after, 'second@example.com');
    expect(secondNewLink).toContain(`.k${kid}.`);

    // Retiring the first key breaks the links it signed, and only those.
    await store.remove(FIRST_KID);
    expect((await click(secondOldLink)).status).toBe(400);
    expect(await statusOf('second@example.com')).toBe('active');
    expect((await click(secondNewLink)).status).toBe(200);
    expect(await statusOf('second@example.com')).toBe('unsubscribed');
  });
});
