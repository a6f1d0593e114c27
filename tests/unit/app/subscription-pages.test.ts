import { type HTMLElement, parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHECK_INBOX,
  LEAVE_LINK_ON_ITS_WAY,
  type Page,
  subscriptionPages,
} from '#app/subscription-pages.ts';
import { type PageTemplates, renderArticlePage } from '#core/rendering/render-page.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import { manyArticle } from '../../fixtures/render/issue-fixtures.ts';

const hostile = `<script>alert("x")</script> & 'quoted' {{listName}}`;
const site = {
  listName: `The Weekly Slide ${hostile}`,
  language: 'en-GB',
  publicBaseUrl: 'https://news.example.com',
};

let templates: PageTemplates;
beforeAll(async () => {
  templates = await loadPageTemplates();
});

const pagesOf = () => subscriptionPages(site, templates);
const readable = (page: HTMLElement) => page.text.replace(/\s+/g, ' ');

/** Every subscription page, by what a reader is doing. */
function everyPage(): Record<string, Page> {
  const pages = pagesOf();
  return {
    subscribe: pages.subscribeForm(),
    refused: pages.subscribeForm({ email: 'x', name: 'y', error: 'Please check.' }),
    checkInbox: pages.checkInbox(),
    confirm: pages.confirm(),
    subscribed: pages.subscribed(),
    unsubscribe: pages.unsubscribe(),
    unsubscribed: pages.unsubscribed(),
    leaveLinkForm: pages.leaveLinkForm(),
    leaveLinkRefused: pages.leaveLinkForm({ email: 'x', error: 'Please check.' }),
    leaveLinkOnItsWay: pages.leaveLinkOnItsWay(),
    problem: pages.problem(410, 'This link has expired', 'Subscribe again.'),
  };
}

describe('subscription pages', () => {
  it('answer with the status of what happened', () => {
    const statuses = Object.fromEntries(
      Object.entries(everyPage()).map(([name, page]) => [name, page.status]),
    );

    expect(statuses).toEqual({
      subscribe: 200,
      refused: 400,
      checkInbox: 202,
      confirm: 200,
      subscribed: 200,
      unsubscribe: 200,
      unsubscribed: 200,
      leaveLinkForm: 200,
      leaveLinkRefused: 400,
      leaveLinkOnItsWay: 202,
      problem: 410,
    });
  });

  it('carry the shared stylesheet once, inline, and load no other', () => {
    for (const page of Object.values(everyPage())) {
      const html = parse(page.html);
      const styles = html.querySelectorAll('style');

      expect(styles).toHaveLength(1);
      expect(styles[0]?.text.trim()).toBe(templates.stylesheet.trim());
      expect(html.querySelectorAll('link, script, [style]')).toHaveLength(0);
    }
  });

  it('show the list name literally, in the masthead and the title, and stay out of search engines', () => {
    for (const page of Object.values(everyPage())) {
      const html = parse(page.html);

      expect(html.querySelector('html')?.getAttribute('lang')).toBe('en-GB');
      expect(html.querySelector('.masthead')?.text).toBe(site.listName);
      expect(html.querySelector('title')?.text.endsWith(` · ${site.listName}`)).toBe(true);
      expect(html.querySelector('meta[name="robots"]')?.getAttribute('content')).toBe('noindex');
      expect(html.querySelectorAll('script')).toHaveLength(0);
    }
  });

  it('give back what was typed into the form literally, with what is wrong with it', () => {
    const page = pagesOf().subscribeForm({ email: hostile, name: hostile, error: hostile });

    const html = parse(page.html);
    expect(html.querySelector('#email')?.getAttribute('value')).toBe(hostile);
    expect(html.querySelector('#name')?.getAttribute('value')).toBe(hostile);
    expect(html.querySelector('[role="alert"]')?.text).toBe(hostile);
    expect(html.querySelector('#email')?.getAttribute('aria-describedby')).toBe('form-error');
    expect(html.querySelectorAll('script')).toHaveLength(0);
  });

  it('offer a sign-up form that posts the address and the name back to the page', () => {
    const html = parse(pagesOf().subscribeForm().html);

    const form = html.querySelector('form');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.hasAttribute('action')).toBe(false);
    const fields = form?.querySelectorAll('input').map((input) => input.getAttribute('name'));
    expect(fields).toEqual(['email', 'name', 'website']);
    expect(form?.querySelector('#email')?.getAttribute('value')).toBe('');
    expect(form?.querySelector('#email')?.hasAttribute('required')).toBe(true);
    for (const input of form?.querySelectorAll('input') ?? []) {
      expect(form?.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
    expect(html.querySelectorAll('[role="alert"]')).toHaveLength(0);
  });

  it('hide a trap field from people: off screen, out of the tab order, never autofilled, labelled to be left empty', () => {
    const html = parse(pagesOf().subscribeForm().html);

    const trap = html.querySelector('form input[name="website"]');
    const label = html.querySelector(`label[for="${trap?.id}"]`);
    const box = trap?.parentNode;
    expect(trap?.getAttribute('tabindex')).toBe('-1');
    expect(trap?.getAttribute('autocomplete')).toBe('off');
    expect(trap?.getAttribute('value')).toBe('');
    expect(label?.text).toBe('Leave this field empty');
    expect(label?.parentNode).toBe(box);
    // Off screen, not display: none, which bots skip: the stylesheet moves the box away.
    expect(box?.classNames).toBe('offscreen');
    const rule = /\.offscreen\s*\{([^}]*)\}/.exec(templates.stylesheet)?.[1] ?? '';
    expect(rule).toMatch(/position:\s*absolute/);
    expect(rule).toMatch(/left:\s*-\d{4,}px/);
    expect(rule).not.toMatch(/display:\s*none/);
  });

  it('confirm and unsubscribe with a button posting back to the page, one-click form included', () => {
    const confirm = parse(pagesOf().confirm().html).querySelector('form');
    const unsubscribe = parse(pagesOf().unsubscribe().html).querySelector('form');

    expect(confirm?.getAttribute('method')).toBe('post');
    expect(confirm?.hasAttribute('action')).toBe(false);
    expect(confirm?.querySelector('button')?.text).toBe('Confirm my subscription');
    expect(unsubscribe?.getAttribute('method')).toBe('post');
    expect(unsubscribe?.hasAttribute('action')).toBe(false);
    const field = unsubscribe?.querySelector('input[type="hidden"]');
    expect([field?.getAttribute('name'), field?.getAttribute('value')]).toEqual([
      'List-Unsubscribe',
      'One-Click',
    ]);
    expect(unsubscribe?.querySelector('button')?.text).toBe('Unsubscribe');
  });

  it('say what went wrong literally, as the title and the heading', () => {
    const html = parse(pagesOf().problem(400, hostile, `${hostile}!`).html);

    expect(html.querySelector('h1')?.text).toBe(hostile);
    expect(html.querySelector('title')?.text).toBe(`${hostile} · ${site.listName}`);
    expect(readable(html)).toContain(`${hostile}!`);
    expect(html.querySelectorAll('script')).toHaveLength(0);
  });

  it('answer a sign-up with the sentence the JSON answer gives', () => {
    const html = parse(pagesOf().checkInbox().html);

    expect(readable(html)).toContain(CHECK_INBOX);
  });

  it('ask for the address to mail a link to leave to, with the trap, posting back to the page', () => {
    const html = parse(pagesOf().leaveLinkForm().html);

    const form = html.querySelector('form');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.hasAttribute('action')).toBe(false);
    const fields = form?.querySelectorAll('input').map((input) => input.getAttribute('name'));
    expect(fields).toEqual(['email', 'website']);
    expect(form?.querySelector('#email')?.hasAttribute('required')).toBe(true);
    expect(form?.querySelector('input[name="website"]')?.parentNode?.classNames).toBe('offscreen');
    for (const input of form?.querySelectorAll('input') ?? []) {
      expect(form?.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
    expect(readable(html)).toContain('if it is on the list, we will email it a link');
    expect(html.querySelectorAll('[role="alert"]')).toHaveLength(0);
  });

  it('give back the address typed for a link to leave literally, with what is wrong with it', () => {
    const html = parse(pagesOf().leaveLinkForm({ email: hostile, error: hostile }).html);

    expect(html.querySelector('#email')?.getAttribute('value')).toBe(hostile);
    expect(html.querySelector('[role="alert"]')?.text).toBe(hostile);
    expect(html.querySelector('#email')?.getAttribute('aria-describedby')).toBe('form-error');
  });

  it('answer a request for a link to leave with the sentence the JSON answer gives', () => {
    const html = parse(pagesOf().leaveLinkOnItsWay().html);

    expect(readable(html)).toContain(LEAVE_LINK_ON_ITS_WAY);
  });
});

describe('the archive and the subscription pages', () => {
  it('share one stylesheet: the same style block, with no other styling', () => {
    const article = parse(renderArticlePage(manyArticle(0, 1), site, templates));
    const subscribe = parse(pagesOf().subscribeForm().html);

    expect(article.querySelectorAll('style')).toHaveLength(1);
    expect(article.querySelectorAll('link, [style]')).toHaveLength(0);
    expect(article.querySelector('style')?.text).toBe(subscribe.querySelector('style')?.text);
    expect(article.querySelector('meta[name="robots"]')).toBeNull();
  });
});
