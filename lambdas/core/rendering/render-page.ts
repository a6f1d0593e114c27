import type { Article } from '../articles/article.ts';
import { assertSafeLinks } from './assert-safe-links.ts';
import { renderHandlebars } from './render-handlebars.ts';
import { type SiteSettings, toArticlePageData } from './template-data.ts';
import { TemplateError } from './template-error.ts';
import { trustedBaseUrls } from './trusted-base-urls.ts';

/**
 * The sources of the web pages, the archive's and the subscription pages (file contents;
 * `templates/load-templates.ts` reads them from `templates/pages/`). Handlebars over HTML,
 * rendered with escaping.
 */
export interface PageTemplates {
  /** `pages/<name>.html.hbs` by name, e.g. `article`, `not-found`, `subscribe`. */
  pages: Record<string, string>;
  /** `pages/partials/<name>.hbs` by name, e.g. the page layout `page-start` and `page-end`. */
  partials: Record<string, string>;
  /** `pages/style.css`: the one stylesheet of every page, which `page-start` inlines. */
  stylesheet: string;
}

/** The file a page template came from, as template errors name it. */
export const pageFileNames = {
  page: (name: string) => `pages/${name}.html.hbs`,
  partial: (name: string) => `pages/partials/${name}.hbs`,
} as const;

/**
 * The archive's web page for a whole article: every slide, photo and credit. Article text is
 * escaped; only `https:` addresses (and the archive's own) reach `href` and `src`.
 * @throws TemplateError naming the template and line when it cannot be rendered
 */
export function renderArticlePage(
  article: Article,
  site: SiteSettings,
  templates: PageTemplates,
): string {
  return renderPage('article', toArticlePageData(article, site), site, templates);
}

/**
 * The archive's page for something it does not have.
 * @param message what is missing, as a title and a sentence
 */
export function renderNotFoundPage(
  message: { title: string; detail: string },
  site: SiteSettings,
  templates: PageTemplates,
): string {
  return renderPage('not-found', message, site, templates);
}

/**
 * Any web page: `pages/<name>.html.hbs` over `data`, which also gets the site's `listName`,
 * `language` and `publicBaseUrl` and the `stylesheet`. Every value is escaped; only `https:`
 * addresses (and the site's own: its `publicBaseUrl` and media base) reach `href`, `src` or
 * `action`.
 * @param name the page's file name without `.html.hbs`
 * @throws TemplateError naming the template and line when it cannot be rendered, or the
 *   file when there is no such page
 */
export function renderPage(
  name: string,
  data: object,
  site: SiteSettings,
  templates: PageTemplates,
): string {
  const fileName = pageFileNames.page(name);
  const source = templates.pages[name];
  if (source === undefined) {
    throw new TemplateError(fileName, undefined, 'no such page: add the file to templates/pages/');
  }
  const trusted = trustedBaseUrls(site);
  const html = renderHandlebars(
    { name: fileName, source },
    {
      listName: site.listName,
      language: site.language,
      publicBaseUrl: site.publicBaseUrl,
      ...data,
      stylesheet: templates.stylesheet,
    },
    {
      escape: true,
      partials: templates.partials,
      trustedBaseUrls: trusted,
      partialFileName: pageFileNames.partial,
    },
  );
  assertSafeLinks(html, [], fileName, trusted);
  return html;
}
