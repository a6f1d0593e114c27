import type { Context } from 'hono';
import { type PageTemplates, renderNotFoundPage } from '#core/rendering/render-page.ts';
import type { SiteSettings } from '#core/rendering/template-data.ts';

/** What the 404 page needs: the web pages' templates and the list's settings. */
export interface NotFoundPageDeps {
  /** The web pages' templates (see `loadPageTemplates`), asked for on each page. */
  templates(): Promise<PageTemplates>;
  site: SiteSettings;
}

/** The page shows no image and runs no script; the stylesheet is inline. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Answers 404 with the 404 page (`templates/pages/not-found.html.hbs`) saying what is
 * missing. Never cached: what is missing now may be there later (an issue once it is sent, a
 * photo once it is imported).
 * @throws TemplateError when the page cannot be rendered (the app's error answer follows)
 */
export async function sendNotFoundPage(
  c: Context,
  deps: NotFoundPageDeps,
  message: { title: string; detail: string },
): Promise<Response> {
  const html = renderNotFoundPage(message, deps.site, await deps.templates());
  c.header('Cache-Control', 'no-store');
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  return c.html(html, 404);
}
