import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArticleFile } from '#core/articles/parse-article-file.ts';
import { type CliResult, freshHome, repoRoot, runCli } from './support/run-cli.ts';

const samplesDir = join(repoRoot, 'samples/articles');

async function samples() {
  const names = (await readdir(samplesDir)).filter((name) => name.endsWith('.txt'));
  const now = new Date();
  const parsed = await Promise.all(
    names.map(async (name) =>
      parseArticleFile({ name, bytes: await readFile(join(samplesDir, name)) }, { now }),
    ),
  );
  return parsed.flat().map(({ article }) => article);
}

async function outbox(home: string) {
  const dir = join(home, 'outbox');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(names.map((name) => readFile(join(dir, name))));
}

describe('npm start (newsletter demo) on a fresh state folder', () => {
  let home: string;
  let first: CliResult;

  beforeAll(async () => {
    home = await freshHome();
    first = await runCli(home, ['demo']);
  });

  it('exits 0 and says where the outbox and the rendered issue are', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(join(home, 'outbox'));
    expect(first.stdout).toMatch(new RegExp(`${join(home, 'issues')}/[0-9A-Z]{26}\\.html`));
  });

  it('leaves exactly one .eml per sample subscriber', async () => {
    const messages = await Promise.all((await outbox(home)).map((raw) => simpleParser(raw)));

    expect(messages.map((m) => m.to && 'text' in m.to && m.to.text).sort()).toEqual([
      'ada@example.com',
      'grace@example.com',
      'linus@example.com',
    ]);
  });

  it('sends multipart/alternative messages carrying every headline and photo credit', async () => {
    const articles = await samples();
    const credits = articles.flatMap((a) =>
      [...a.lead.images, ...a.slides.flatMap((s) => (s.image ? [s.image] : []))].flatMap(
        (image) => image.credit ?? [],
      ),
    );
    expect(articles.length).toBeGreaterThanOrEqual(3);
    expect(credits.length).toBeGreaterThan(0);

    for (const raw of await outbox(home)) {
      expect(raw.toString('latin1')).toMatch(/Content-Type: multipart\/alternative/);
      const mail = await simpleParser(raw);
      const html = (mail.html || '').replaceAll('&#x27;', "'").replaceAll('&#39;', "'");
      for (const article of articles) {
        expect(mail.text).toContain(article.headline);
        expect(unescapeHtml(html)).toContain(article.headline);
      }
      for (const credit of credits) {
        expect(mail.text).toContain(credit);
        expect(unescapeHtml(html)).toContain(credit);
      }
    }
  });

  it('sends nothing new the second time, and says so', async () => {
    const second = await runCli(home, ['demo']);

    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing new to send');
    expect(await outbox(home)).toHaveLength(3);
  });
});

function unescapeHtml(html: string): string {
  return html
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
