import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshHome, repoRoot, runCli } from './support/run-cli.ts';

const fixtures = join(repoRoot, 'tests/fixtures/articles');
const exported = join(fixtures, 'ferry-choir.txt');
const good = join(repoRoot, 'samples/articles/midnight-museum-tour.txt');

describe('newsletter import', () => {
  let home: string;
  beforeAll(async () => {
    home = await freshHome();
  });

  it('prints an exported article as it would store it, on a dry run, and stores nothing', async () => {
    const result = await runCli(home, ['import', '--dry-run', '--json', exported]);

    expect(result.code).toBe(0);
    const [article, ...rest] = JSON.parse(result.stdout).articles;
    expect(rest).toEqual([]);
    expect(article.id).toBe('harbour-choir-sings-its-way-across-the-old-ferry-route-at-dawn');
    expect(article.lead.images).toEqual([
      { credit: 'Tomas Eklund/Northlight Press' },
      { caption: 'Ada Moreau, Tomas Eklund', credit: 'Tomas Eklund/Northlight Press' },
    ]);
    expect(article.lead.paragraphs).toHaveLength(1);
    expect(article.slides.map((s: { paragraphs: string[] }) => s.paragraphs.length)).toEqual([
      1, 2, 1,
    ]);
    const listed = await runCli(home, ['articles', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('stores a good file and lists it', async () => {
    const result = await runCli(home, ['import', '--json', good]);

    expect(result.code).toBe(0);
    const { articles, images } = JSON.parse(result.stdout);
    const [imported] = articles;
    const listed = JSON.parse((await runCli(home, ['articles', 'list', '--json'])).stdout);
    expect(listed).toEqual([imported]);
    // Its photos are the sample's image files, stored and linked.
    expect(images.length).toBeGreaterThan(0);
    expect(imported.lead.images[0].url).toBe(images[0].url);
    expect(images[0]).toMatchObject({ original: expect.stringMatching(/^photos\//), stored: true });
  });

  it.each([
    ['empty.txt', /empty\.txt:1: /],
    ['blank.txt', /blank\.txt:\d+: /],
    ['binary.bin', /binary\.bin: /],
    ['headline-only.txt', /headline-only\.txt:\d+: /],
    ['truncated.json', /truncated\.json(:\d+:\d+)?: .*JSON/],
    ['javascript-url.json', /javascript-url\.json: \$.*url.*https/],
  ])('refuses %s with exit 1, naming it, and stores nothing with it', async (name, message) => {
    const other = await freshHome();

    const result = await runCli(other, ['import', good, join(fixtures, name)]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Nothing was imported');
    expect(result.stdout).toBe('');
    const listed = await runCli(other, ['articles', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('refuses --id with several files as bad usage', async () => {
    const result = await runCli(home, ['import', '--id', 'x', good, exported]);

    expect(result.code).toBe(2);
  });

  it('refuses a derived id that names another stored article, until --id is given', async () => {
    const other = await freshHome();
    const dir = await mkdtemp(join(tmpdir(), 'articles-'));
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    await writeFile(a, 'Stars & Stripes\n\nAn intro.\n');
    await writeFile(b, 'Stars: Stripes!\n\nAnother intro.\n');
    await runCli(other, ['import', a]);

    const refused = await runCli(other, ['import', b]);
    const forced = await runCli(other, ['import', '--id', 'stars-stripes', b]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"Stars & Stripes"');
    expect(forced.code).toBe(0);
  });
});

describe('the newsletter command line', () => {
  it('exits 2 on an unknown command', async () => {
    expect((await runCli(await freshHome(), ['sned'])).code).toBe(2);
  });

  it('exits 2 on an unknown flag', async () => {
    expect((await runCli(await freshHome(), ['send', '--fast'])).code).toBe(2);
  });

  it.each([[['--help']], [['send', '--help']], [['subscribers', 'add', '--help']]])(
    'answers %j with usage and exit 0',
    async (args) => {
      const result = await runCli(await freshHome(), args);

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: newsletter/);
    },
  );
});
