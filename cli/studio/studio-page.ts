/** What the studio's page is told when it is served (`studioIndexHtml`). */
export interface StudioIndexOptions {
  /** The token the page sends back in `X-Studio-Token` with every POST and DELETE. */
  token: string;
  /** Whether the server watches the templates (and articles) and says when they change. */
  liveReload: boolean;
  /** Which services the studio works on. */
  target: 'local' | 'aws';
  /**
   * Where the configuration says stored photos are served from (`mediaBaseUrlOf`), as it is
   * when the page is served: the page shows photos under it from the studio's own `/media/`.
   */
  mediaBaseUrl: string;
}

/** The page's script and stylesheet, built in memory when the studio starts. */
export interface StudioAssets {
  js: string;
  css: string;
}

/**
 * The browser page of the studio, as the server serves it: `cli/studio/page/` makes it
 * (`buildStudioAssets`, `studioIndexHtml`); tests give a small page of their own.
 */
export interface StudioPage {
  /** Builds `/studio.js` and `/studio.css`, once, at start. */
  assets(): Promise<StudioAssets>;
  /** The HTML of `GET /`. */
  indexHtml(options: StudioIndexOptions): string;
}
