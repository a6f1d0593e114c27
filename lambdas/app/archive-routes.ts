import { type Context, Hono } from 'hono';
import { articleIdSchema } from '#core/articles/article.ts';
import type { ArticleStore } from '#core/articles/ports.ts';
import type { IssueArchive } from '#core/issues/ports.ts';
import { type PageTemplates, renderArticlePage } from '#core/rendering/render-page.ts';
import type { SiteSettings } from '#core/rendering/template-data.ts';
import { sendNotFoundPage } from './send-not-found-page.ts';

/** What the archive routes need. */
export interface ArchiveRoutesDeps {
  /** Each issue's HTML as anyone may read it (S3). */
  issues: IssueArchive;
  /** The stored articles (DynamoDB). */
  articles: ArticleStore;
  /** The web pages' templates (see `loadPageTemplates`), asked for on each page: cache them there. */
  templates(): Promise<PageTemplates>;
  /** The list's name, language and address (the configuration). */
  site: SiteSettings;
}

/** A ULID as this project writes them: 26 characters of Crockford's base 32, upper case. */
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/**
 * Archived issues are never changed, so browsers and caches may keep them; articles can be
 * corrected, so their pages are kept briefly.
 */
const ISSUE_CACHE = 'public, max-age=86400, immutable';
const ARTICLE_CACHE = 'public, max-age=300';
/** The pages carry no script and load images only from `https:` hosts. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src https:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The public web archive:
 * - `GET /issues/:issueId` an issue as it was sent, without personal data ("view in browser");
 * - `GET /articles/:id` a whole article (every slide, photo and credit), the target of
 *   "See all N slides" for an article without an address of its own.
 * An id that is not well formed, or that the archive does not have, gets a 404 page.
 */
export function archiveRoutes(deps: ArchiveRoutesDeps): Hono {
  const app = new Hono();
  const pages = () => deps.templates();
  const notFound = (c: Context, title: string, detail: string) =>
    sendNotFoundPage(c, deps, { title, detail });

  app.get('/issues/:issueId', async (c) => {
    const issueId = c.req.param('issueId');
    const html = ULID.test(issueId) ? await deps.issues.getIssue(issueId) : undefined;
    if (html === undefined) {
      return notFound(
        c,
        'Issue not found',
        'There is no issue at this address. Check the link in your email.',
      );
    }
    return page(c, html, ISSUE_CACHE);
  });

  app.get('/articles/:id', async (c) => {
    const id = articleIdSchema.safeParse(c.req.param('id'));
    const [article] = id.success ? await deps.articles.getMany([id.data]) : [];
    if (!article) {
      return notFound(
        c,
        'Article not found',
        'There is no article at this address. It may have been removed.',
      );
    }
    return page(c, renderArticlePage(article, deps.site, await pages()), ARTICLE_CACHE);
  });

  return app;
}

function page(c: Context, html: string, cacheControl: string) {
  c.header('Cache-Control', cacheControl);
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  return c.html(html, 200);
}
