import type { S3Client } from '@aws-sdk/client-s3';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { buckets } from '#adapters/resources.ts';
import { S3Archive } from '#adapters/s3-archive.ts';
import { tables } from '#adapters/tables.ts';
import { archiveRoutes } from '#app/archive-routes.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import { manyArticle, storableHostileArticle } from '../fixtures/render/issue-fixtures.ts';
import { startProvisionedAws } from './support/local-aws.ts';
import { localS3Client } from './support/local-s3-client.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
let s3: S3Client;
let archive: S3Archive;
let app: ReturnType<typeof archiveRoutes>;

beforeAll(async () => {
  local = await startProvisionedAws();
  s3 = localS3Client(local.env);
  archive = new S3Archive(s3, buckets.archive.localName);
  const articles = new DynamoDbArticleStore(local.documents, tables.articles.localName);
  await articles.putAll([manyArticle(0, 6), storableHostileArticle()]);
  const templates = await loadPageTemplates();
  app = archiveRoutes({
    issues: archive,
    articles,
    templates: async () => templates,
    site: {
      listName: 'The Weekly Slide',
      language: 'en-GB',
      publicBaseUrl: 'http://127.0.0.1:8787',
    },
  });
});

afterAll(async () => {
  s3?.destroy();
  await local?.stop();
});

const ISSUE_ID = '01M8BDWP00R8Y3V5N7Q9T1W4BC';
const issueHtml = '<!doctype html><html lang="en"><body><h1>Digest 🌊 “quoted”</h1></body></html>';

describe('S3Archive', () => {
  it('keeps an issue’s HTML under issues/<issueId>.html, byte for byte', async () => {
    await archive.putIssue(ISSUE_ID, issueHtml);

    expect(await archive.getIssue(ISSUE_ID)).toBe(issueHtml);
  });

  it('answers undefined for an issue it does not have', async () => {
    expect(await archive.getIssue('01M8BDWP00R8Y3V5N7Q9T1W4ZZ')).toBeUndefined();
  });
});

describe('GET /issues/:issueId', () => {
  it('serves the archived issue as HTML', async () => {
    await archive.putIssue(ISSUE_ID, issueHtml);

    const response = await app.request(`/issues/${ISSUE_ID}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toBe(issueHtml);
  });

  it('answers a 404 page for an issue the archive does not have', async () => {
    const response = await app.request('/issues/01M8BDWP00R8Y3V5N7Q9T1W4ZZ');

    expect(response.status).toBe(404);
    expect(parse(await response.text()).querySelector('h1')?.text).toBe('Issue not found');
  });

  it('answers a 404 page for an id that is not a ULID, without asking the archive', async () => {
    for (const id of ['..%2F..%2Fsecret', 'not-an-id', `${ISSUE_ID.toLowerCase()}`]) {
      const response = await app.request(`/issues/${id}`);

      expect(response.status, id).toBe(404);
    }
  });
});

describe('GET /articles/:id', () => {
  it('serves the whole article as a web page: every slide and credit', async () => {
    const article = manyArticle(0, 6);

    const response = await app.request(`/articles/${article.id}`);

    expect(response.status).toBe(200);
    const page = parse(await response.text());
    expect(page.querySelector('h1')?.text).toBe(article.headline);
    expect(page.querySelectorAll('section')).toHaveLength(6);
    for (const slide of article.slides) {
      // "Photo:" only where the photo itself is shown (render-page tests say which).
      expect(page.text).toContain(`${slide.image?.credit}`);
    }
  });

  it('shows hostile text literally, with only https: addresses', async () => {
    const response = await app.request('/articles/hostile-everything');

    const page = parse(await response.text());
    expect(page.querySelectorAll('script, iframe')).toHaveLength(0);
    expect(page.text).toContain('<script>alert(1)</script>');
    const addresses = page
      .querySelectorAll('[href], [src]')
      .map((element) => element.getAttribute('href') ?? element.getAttribute('src'));
    expect(addresses.every((address) => address?.startsWith('https://'))).toBe(true);
  });

  it('answers a 404 page for an article that is not stored or not a slug', async () => {
    for (const id of ['no-such-article', 'Not_A_Slug', 'a'.repeat(81)]) {
      const response = await app.request(`/articles/${id}`);

      expect(response.status, id).toBe(404);
      expect(parse(await response.text()).querySelector('h1')?.text).toBe('Article not found');
    }
  });
});
