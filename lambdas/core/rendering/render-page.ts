import type { Article } from '../articles/article.ts';
import { assertSafeLinks } from './assert-safe-links.ts';
import { renderHandlebars } from './render-handlebars.ts';
import { type SiteSettings, toArticlePageData } from './template-data.ts';

/**
 * The sources of the web archive's pages (file contents; `templates/load-templates.ts`
 * reads them from `templates/archive/`). Handlebars over HTML, rendered with escaping.
 */
export interface ArchiveTemplates {
  /** `archive/article.html.hbs`: one whole article. */
  article: string;
  /** `archive/not-found.html.hbs`: what a missing issue or article shows. */
  notFound: string;
  /** `archive/partials/<name>.hbs`, e.g. the page layout. */
  partials: Record<string, string>;
}

/** The file an archive template came from, as template errors name it. */
export const archiveFileNames = {
  article: 'archive/article.html.hbs',
  notFound: 'archive/not-found.html.hbs',
  partial: (name: string) => `archive/partials/${name}.hbs`,
} as const;

/**
 * The archive's web page for a whole article: every slide, photo and credit. Article text is
 * escaped; only `https:` addresses (and the archive's own) reach `href` and `src`.
 * @throws TemplateError naming the template and line when it cannot be rendered
 */
export function renderArticlePage(
  article: Article,
  site: SiteSettings,
  templates: ArchiveTemplates,
): string {
  return renderPage(
    archiveFileNames.article,
    templates.article,
    toArticlePageData(article, site),
    site,
    templates,
  );
}

/**
 * The archive's page for something it does not have.
 * @param message what is missing, as a title and a sentence
 */
export function renderNotFoundPage(
  message: { title: string; detail: string },
  site: SiteSettings,
  templates: ArchiveTemplates,
): string {
  const data = {
    ...message,
    listName: site.listName,
    language: site.language,
    publicBaseUrl: site.publicBaseUrl,
  };
  return renderPage(archiveFileNames.notFound, templates.notFound, data, site, templates);
}

function renderPage(
  name: string,
  source: string,
  data: unknown,
  site: SiteSettings,
  templates: ArchiveTemplates,
): string {
  const html = renderHandlebars({ name, source }, data, {
    escape: true,
    partials: templates.partials,
    trustedBaseUrl: site.publicBaseUrl,
    partialFileName: archiveFileNames.partial,
  });
  assertSafeLinks(html, [], name, site.publicBaseUrl);
  return html;
}
