/**
 * The Content-Security-Policy of the studio's page. Scripts, script connections and
 * stylesheets come from the studio only; nothing else is loaded but images from the studio,
 * `data:` and the media base URL (the photos of a preview). The preview is shown in an
 * iframe's `srcdoc`, which runs under this very policy: hence `style-src 'unsafe-inline'`,
 * without which the email's own `<style>` and `style=""` would be dropped and the preview
 * would not look as the message does. No inline script runs, in the page or the preview.
 * @param mediaBaseUrl where stored photos are served from (`mediaBaseUrlOf(config)`)
 */
export function studioContentSecurityPolicy(mediaBaseUrl: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: ${sourceOf(mediaBaseUrl)}`,
    "connect-src 'self'",
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A source expression for the folder of `url` (its path, with a trailing slash). */
function sourceOf(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`;
  // `;` and `,` separate directives and policies: a URL with them would end the expression.
  return `${parsed.origin}${path}`.replace(/[;,\s]/g, encodeURIComponent);
}
