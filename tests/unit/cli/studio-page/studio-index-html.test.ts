import { describe, expect, it } from 'vitest';
import { studioIndexHtml } from '#cli/studio/page/studio-index-html.ts';

describe('studioIndexHtml', () => {
  const html = studioIndexHtml({
    token: 'a"b<c>&d',
    liveReload: true,
    target: 'local',
    mediaBaseUrl: 'http://127.0.0.1:8787/media',
  });

  it('carries the token, escaped, the options and the media base URL in meta elements', () => {
    expect(html).toContain('<meta name="studio-token" content="a&quot;b&lt;c&gt;&amp;d">');
    expect(html).toContain('<meta name="studio-live-reload" content="true">');
    expect(html).toContain('<meta name="studio-target" content="local">');
    expect(html).toContain('<meta name="studio-media-base" content="http://127.0.0.1:8787/media">');
  });

  it('loads /studio.css and /studio.js, and holds no inline script or style', () => {
    expect(html).toContain('<link rel="stylesheet" href="/studio.css">');
    expect(html).toContain('<script src="/studio.js" defer></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('has a language, a title, and the banner, navigation, main and footer landmarks', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>Newsletter studio</title>');
    for (const landmark of [
      '<header',
      '<nav aria-label="Sections">',
      '<main id="main"',
      '<footer',
    ]) {
      expect(html).toContain(landmark);
    }
  });

  it('says when live reload is off and the target is AWS', () => {
    const aws = studioIndexHtml({
      token: 't',
      liveReload: false,
      target: 'aws',
      mediaBaseUrl: 'https://cdn.example.com/media',
    });

    expect(aws).toContain('Live reload off');
    expect(aws).toContain('On AWS');
  });
});
