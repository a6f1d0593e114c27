/** What the page is told when it is served, as the studio's server passes it. */
export interface StudioIndexHtmlOptions {
  /** This run's token, sent back in `X-Studio-Token` with every POST and DELETE. */
  token: string;
  /** Whether the server watches the templates and articles and says when they change. */
  liveReload: boolean;
  /** Which services the studio works on. */
  target: 'local' | 'aws';
  /** Where the configuration says stored photos are served from (`mediaBaseUrlOf`). */
  mediaBaseUrl: string;
}

/**
 * The HTML shell of the studio's page (`GET /`): the stylesheet and the script (`/studio.css`,
 * `/studio.js`, from the studio only: no inline script or style, as the server's
 * Content-Security-Policy requires), the token, the options and the media base URL in `<meta>` elements, and the
 * landmarks and sections the script fills (`main.ts`).
 */
export function studioIndexHtml(options: StudioIndexHtmlOptions): string {
  const meta = (name: string, content: string) =>
    `<meta name="${name}" content="${escapeAttribute(content)}">`;
  const target = options.target === 'aws' ? 'AWS' : 'local services';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${meta('studio-token', options.token)}
${meta('studio-live-reload', String(options.liveReload))}
${meta('studio-target', options.target)}
${meta('studio-media-base', options.mediaBaseUrl)}
<title>Newsletter studio</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/studio.css">
<script src="/studio.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to the studio</a>
<header class="studio-header">
<h1 class="studio-name">Newsletter studio</h1>
<p class="studio-status"><span id="studio-target">On ${escapeText(target)}</span> · <span id="studio-live">${options.liveReload ? 'Live reload on' : 'Live reload off'}</span></p>
<nav aria-label="Sections">
<ul>
<li><a href="#issue">The issue</a></li>
<li><a href="#checks">Checks</a></li>
<li><a href="#test-send">Test send</a></li>
<li><a href="#issues">Issues</a></li>
</ul>
</nav>
</header>
<main id="main" tabindex="-1">
<div id="notices" class="notices" role="status" aria-live="polite"></div>
<noscript><p class="notice">The studio is a script: turn JavaScript on for this page.</p></noscript>
<section id="issue" class="panel issue-panel" aria-labelledby="issue-heading">
<h2 id="issue-heading">The issue</h2>
<div id="preview-choice"></div>
<div id="preview"></div>
</section>
<div class="side">
<section id="articles" class="panel" aria-labelledby="articles-heading">
<h2 id="articles-heading">Articles</h2>
</section>
<section id="checks" class="panel" aria-labelledby="checks-heading">
<h2 id="checks-heading">Checks</h2>
</section>
<section id="test-send" class="panel" aria-labelledby="test-send-heading">
<h2 id="test-send-heading">Test send</h2>
</section>
</div>
<section id="issues" class="panel issues-panel" aria-labelledby="issues-heading">
<h2 id="issues-heading">Issues</h2>
</section>
</main>
<footer class="studio-footer">
<p>Changes need this run's token: reload the page after restarting the studio.</p>
</footer>
</body>
</html>
`;
}

/** Text safe inside a double-quoted attribute. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** Text safe as an element's content. */
export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
