import { Hono } from 'hono';
import type { StudioAssets, StudioIndexOptions, StudioPage } from './studio-page.ts';

/** What the page's routes serve. */
export interface StudioPageRoutesOptions {
  page: StudioPage;
  /** The page's script and stylesheet, built once at start. */
  assets: StudioAssets;
  /** What the HTML is told, as it is now: this run's token, live reload, the target, the media base URL. */
  index(): StudioIndexOptions;
  /** The Content-Security-Policy of the page, as the configuration says now. */
  contentSecurityPolicy(): string;
}

/**
 * `GET /` (the page's HTML, never cached, under the studio's Content-Security-Policy),
 * `GET /studio.js` and `GET /studio.css`.
 */
export function studioPageRoutes(options: StudioPageRoutesOptions): Hono {
  const routes = new Hono();
  routes.get('/', (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Content-Security-Policy', options.contentSecurityPolicy());
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(options.page.indexHtml(options.index()));
  });
  routes.get('/studio.js', (c) => {
    c.header('Cache-Control', 'no-cache');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(options.assets.js, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  routes.get('/studio.css', (c) => {
    c.header('Cache-Control', 'no-cache');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(options.assets.css, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  return routes;
}
