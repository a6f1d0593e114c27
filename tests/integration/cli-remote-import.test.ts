import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ImportWithImagesResult } from '#core/articles/import-articles-with-images.ts';
import { startRemoteStack } from './support/remote-cli.ts';
import { type CliResult, freshHome, runCli } from './support/run-cli.ts';
import { stopServes } from './support/serve-cli.ts';

// `newsletter import` and `articles list` with NEWSLETTER_TARGET=aws: through the signed editor
// API alone, the photos processed on the editor's machine and uploaded with `POST /media`.

/**
 * Where the stack serves its photos: https, as the media distribution on AWS. (An article
 * imported through the API names https: photos only; serve's own `/media` is http.)
 */
const MEDIA_BASE = 'https://media.newsletter.test';

const museum = 'samples/articles/midnight-museum-tour.txt';
/** The sample articles, each naming photos beside it (photos/*.jpg, *.png). */
const samples = [
  'samples/articles/five-minute-mornings.txt',
  'samples/articles/mara-vell-lighthouse-cafe.txt',
  museum,
  'samples/articles/ugly-vegetable-menu.txt',
];
const badFile = 'tests/fixtures/articles/headline-only.txt';

/** The stack stood in for by `newsletter serve`, its photos at `mediaBase` when given. */
async function remoteStack(mediaBase?: string) {
  if (mediaBase) vi.stubEnv('NEWSLETTER_MEDIA_BASE_URL', mediaBase);
  try {
    return await startRemoteStack();
  } finally {
    vi.unstubAllEnvs();
  }
}

/** Output without the import's time: each run stamps `publishedAt` with its own now. */
const untimed = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<now>');

function succeeded(result: CliResult): string {
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** An article file of its own folder, `text` its content. */
async function articleFile(name: string, text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'remote-import-')), name);
  await writeFile(file, text);
  return file;
}

afterAll(stopServes);

describe('NEWSLETTER_TARGET=aws: import and articles list through the signed editor API', () => {
  it('imports articles with their local photos as a local import does, stores nothing of a refused or dry-run import, and lists them as the stack holds them', async () => {
    const stack = await remoteStack(MEDIA_BASE);
    // A local import beside it, its photos named at the same address, to compare the output.
    const localHome = await freshHome();
    const local = (args: string[]) =>
      runCli(localHome, args, { NEWSLETTER_MEDIA_BASE_URL: MEDIA_BASE });
    const storedArticles = async () =>
      JSON.parse(succeeded(await stack.local(['articles', 'list', '--json'])));

    // A bad file among good ones: refused by file and line, nothing stored.
    const badArticle = await stack.remote(['import', ...samples, badFile]);
    expect(badArticle.code).toBe(1);
    expect(badArticle.stderr).toMatch(/headline-only\.txt:\d+: /);
    expect(badArticle.stderr).toContain('Nothing was imported');

    // A photo that is not there: refused by the file and line that name it, nothing stored.
    const missingPhoto = await articleFile(
      'story.txt',
      'A Story With a Missing Photo\n\nmissing.jpg\nA caption for it\nA. Photographer/Example Pictures\n\nAn intro paragraph.\n',
    );
    const badPhoto = await stack.remote(['import', museum, missingPhoto]);
    expect(badPhoto.code).toBe(1);
    expect(badPhoto.stderr).toMatch(/story\.txt:3: the image missing\.jpg does not exist/);
    expect(badPhoto.stderr).toContain('Nothing was imported (1 image refused)');

    // A dry run prints what a local dry run prints, and stores nothing either.
    const [remoteDryRun, localDryRun] = await Promise.all([
      stack.remote(['import', '--dry-run', ...samples]),
      local(['import', '--dry-run', ...samples]),
    ]);
    const dryRun = succeeded(remoteDryRun);
    expect(dryRun).toContain('Checked (dry run, nothing stored): 4 articles');
    expect(untimed(dryRun)).toBe(untimed(succeeded(localDryRun)));

    expect(await storedArticles()).toEqual([]);
    // Not even the photos: the first the dry run named is not served.
    const photo = /-> https:\/\/media\.newsletter\.test\/([0-9a-f]{64}\.jpg)/.exec(dryRun)?.[1];
    expect(photo).toBeDefined();
    expect((await fetch(`${stack.base}/media/${photo}`)).status).toBe(404);

    // The import: the same JSON as a local import gives, its photos at the stack's address
    // with their sizes.
    const [remoteImport, localImport] = await Promise.all([
      stack.remote(['import', '--json', ...samples]),
      local(['import', '--json', ...samples]),
    ]);
    const imported = JSON.parse(succeeded(remoteImport)) as ImportWithImagesResult;
    const importedLocally = JSON.parse(succeeded(localImport)) as ImportWithImagesResult;
    expect(untimed(JSON.stringify(imported))).toBe(untimed(JSON.stringify(importedLocally)));
    expect(imported.articles).toHaveLength(4);
    const tour = imported.articles.find((article) => article.id.includes('midnight-museum'));
    const [lead] = tour?.lead.images ?? [];
    expect(lead).toMatchObject({
      url: expect.stringMatching(new RegExp(`^${MEDIA_BASE}/[0-9a-f]{64}\\.jpg$`)),
      width: 1200,
      height: expect.any(Number),
    });

    // Listed through the API as the stack holds them, and as a local list prints them.
    const listed = JSON.parse(succeeded(await stack.remote(['articles', 'list', '--json'])));
    expect(listed).toEqual(await storedArticles());
    expect(listed.map((article: { id: string }) => article.id).sort()).toEqual(
      imported.articles.map((article) => article.id).sort(),
    );
    expect(
      listed.flatMap((article: { lead: { images: unknown[] } }) => article.lead.images),
    ).toContainEqual(lead);
    expect(succeeded(await stack.remote(['articles', 'list']))).toBe(
      succeeded(await stack.local(['articles', 'list'])),
    );

    // Every photo is served by the stack, under the key the import reported.
    for (const { key, format } of imported.images) {
      const served = await fetch(`${stack.base}/${key}`);
      expect({ key, status: served.status, type: served.headers.get('content-type') }).toEqual({
        key,
        status: 200,
        type: format === 'png' ? 'image/png' : 'image/jpeg',
      });
    }

    // A headline whose id names another stored article is refused as locally, against the
    // stack's articles.
    const sameId = await articleFile(
      'same-id.txt',
      'Inside the Midnight Museum Tour: That Sold Out in Four Minutes!\n\nAnother story.\n',
    );
    const conflict = await stack.remote(['import', sameId]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      'already belongs to the stored article "Inside the Midnight Museum Tour That Sold Out in Four Minutes"',
    );
    expect(await storedArticles()).toEqual(listed);

    // The editor's own state folder holds nothing: no local services were started there.
    expect(await readdir(stack.editorHome)).toEqual([]);
  }, 240_000);

  it('refuses to import photos into a stack that serves them over http, naming why, and stores nothing', async () => {
    const stack = await remoteStack();

    const refused = await stack.remote(['import', museum]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/serves its photos at http:\/\/127\.0\.0\.1:\d+\/media.*https:/);
    expect(refused.stderr).toContain('Nothing was imported');
    expect(JSON.parse(succeeded(await stack.local(['articles', 'list', '--json'])))).toEqual([]);
  }, 120_000);
});
