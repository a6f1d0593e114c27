import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '#core/articles/article.ts';
import { contentWidth, toPhotoData } from '#core/rendering/photo-data.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import { type PageTemplates, renderArticlePage } from '#core/rendering/render-page.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { loadPageTemplates, loadTemplates } from '#templates/load-templates.ts';
import { sampleView } from '../../fixtures/render/sample-issue.ts';

describe('toPhotoData', () => {
  it('scales a photo wider than the column down to it, keeping its ratio', () => {
    const photo = toPhotoData({ credit: 'A', width: 1200, height: 800 }, 'Title');

    expect(contentWidth).toBe(552);
    expect([photo.width, photo.height]).toEqual([552, 368]);
  });

  it('never enlarges a photo narrower than the column', () => {
    const photo = toPhotoData({ credit: 'A', width: 400, height: 300 }, 'Title');

    expect([photo.width, photo.height]).toEqual([400, 300]);
  });

  it('narrows a tall portrait photo to the column’s width in height', () => {
    const photo = toPhotoData({ credit: 'A', width: 1200, height: 1800 }, 'Title');

    expect([photo.width, photo.height]).toEqual([368, 552]);
  });

  it('gives a photo never measured the column’s width and no height', () => {
    expect(toPhotoData({ credit: 'A' }, 'Title')).toMatchObject({ width: 552, height: null });
    expect(toPhotoData({ credit: 'A', width: 300 }, 'Title')).toMatchObject({
      width: 300,
      height: null,
    });
    expect(toPhotoData({ credit: 'A', width: 2000 }, 'Title')).toMatchObject({
      width: 552,
      height: null,
    });
  });

  it('describes the photo by its caption, else by the title given', () => {
    expect(toPhotoData({ caption: 'Gulls', credit: 'A' }, 'Slide').alt).toBe('Gulls');
    expect(toPhotoData({ credit: 'A' }, 'Slide').alt).toBe('Slide');
    expect(toPhotoData({ credit: 'A' }, 'Slide')).toMatchObject({ caption: null, credit: 'A' });
  });
});

/** An article whose lead photo has no caption and whose slide photos come from `urls`. */
function photoArticle(urls: string[], caption = 'A gull on the harbour wall'): Article {
  return {
    id: 'harbour-gulls',
    headline: 'The Harbour Gulls',
    publishedAt: '2026-11-20T09:00:00Z',
    lead: {
      images: [{ credit: 'Lead Credit', url: urls[0], width: 1200, height: 900 }],
      paragraphs: ['The gulls came back.'],
    },
    slides: urls.slice(1).map((url, index) => ({
      title: `Slide ${index + 1}`,
      image: { caption, credit: `Credit ${index + 1}`, url, width: 800, height: 600 },
      paragraphs: [],
    })),
  };
}

describe('photos in the digest and the archive page', () => {
  let templates: TemplateSet;
  let pages: PageTemplates;
  beforeAll(async () => {
    templates = await loadTemplates();
    pages = await loadPageTemplates();
  });

  it('takes the headline as the alt text of a lead photo without caption', async () => {
    const view = sampleView([photoArticle(['https://img.example.com/l.jpg'])]);

    const rendered = await renderIssue(view, templates);

    expect(parse(rendered.html).querySelector('img')?.getAttribute('alt')).toBe(
      'The Harbour Gulls',
    );
  });

  it('escapes a hostile caption in the alt text of both the digest and the page', async () => {
    const hostile = '" onerror="alert(1)" x="<script>alert(2)</script>';
    const article = photoArticle(
      ['https://img.example.com/l.jpg', 'https://img.example.com/s.jpg'],
      hostile,
    );

    const rendered = await renderIssue(sampleView([article]), templates);
    const page = renderArticlePage(article, { ...sampleView(), timeZone: 'UTC' }, pages);

    for (const html of [rendered.html, page]) {
      const images = parse(html).querySelectorAll('img');
      expect(images.map((img) => img.getAttribute('alt'))).toEqual(['The Harbour Gulls', hostile]);
      expect(images.filter((img) => img.hasAttribute('onerror'))).toEqual([]);
      expect(parse(html).querySelectorAll('script')).toHaveLength(0);
    }
  });

  it('shows photos served from a loopback media base, as it shows loopback archive links', async () => {
    const media = 'http://127.0.0.1:4173/files';
    const url = `${media}/${'a'.repeat(64)}.jpg`;
    const article = photoArticle([url, url]);
    const view = {
      ...sampleView([article]),
      publicBaseUrl: 'http://127.0.0.1:4000',
      mediaBaseUrl: media,
    };

    const rendered = await renderIssue(view, templates);
    const page = renderArticlePage(
      article,
      { listName: 'L', language: 'en', publicBaseUrl: view.publicBaseUrl, mediaBaseUrl: media },
      pages,
    );

    for (const html of [rendered.html, page]) {
      expect(
        parse(html)
          .querySelectorAll('img')
          .map((img) => img.getAttribute('src')),
      ).toEqual([url, url]);
    }
  });

  it('shows no image from plain http: outside the list’s own loopback addresses', async () => {
    const article = photoArticle([
      'http://127.0.0.1:4173/files/x.jpg',
      'http://img.example.com/y.jpg',
    ]);
    // The media base is loopback, but this photo is on another port.
    const view = { ...sampleView([article]), mediaBaseUrl: 'http://127.0.0.1:9999/files' };

    const rendered = await renderIssue(view, templates);

    expect(parse(rendered.html).querySelectorAll('img')).toHaveLength(0);
    expect(parse(rendered.html).text).toContain('Lead Credit');
    expect(parse(rendered.html).text).not.toContain('Photo:');
  });

  it('sizes each image to the column for Outlook and lets it shrink on phones', async () => {
    const article = photoArticle([
      'https://img.example.com/l.jpg',
      'https://img.example.com/s.jpg',
    ]);
    article.lead.images = [{ credit: 'Unmeasured', url: 'https://img.example.com/u.jpg' }];

    const rendered = await renderIssue(sampleView([article]), templates);

    const images = parse(rendered.html).querySelectorAll('img');
    expect(images.map((img) => [img.getAttribute('width'), img.getAttribute('height')])).toEqual([
      ['552', undefined],
      ['552', '414'],
    ]);
    for (const img of images) {
      expect(img.getAttribute('style')).toMatch(/max-width:100%;height:auto/);
      expect(img.classList.contains('nl-photo')).toBe(true);
    }
    expect(rendered.html).toMatch(/\.nl-photo\s*\{\s*width:\s*100%\s*!important/);
  });
});
