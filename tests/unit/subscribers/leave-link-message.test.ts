import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { TemplateError } from '#core/rendering/template-error.ts';
import { type LeaveLinkTemplates, leaveLinkMessage } from '#core/subscribers/leave-link-message.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';

const hostile = `<script>alert("x")</script> & 'quoted' {{listName}}`;
const config = {
  listName: `The Weekly Slide ${hostile}`,
  postalAddress: `1 Example Street ${hostile}`,
  language: 'en-GB',
  publicBaseUrl: 'https://news.example.com',
};
const unsubscribeUrl = 'https://news.example.com/unsubscribe?token=01JSUB.abc-DEF_1&x=<y>';

let templates: LeaveLinkTemplates;
beforeAll(async () => {
  templates = (await compileConfirmationTemplates()).leaveLink;
});

describe('the email with a link to leave', () => {
  it('is HTML that MJML made when built, with no MJML or template syntax left in it', () => {
    expect(templates.html).toMatch(/^<!doctype html>/i);
    expect(templates.html).not.toMatch(/<mj-|\\\{\{/);
    expect(templates.html).toContain('{{https unsubscribeUrl}}');
  });

  it('links its button and its written-out link to the unsubscribe link, and nothing else', () => {
    const { html } = leaveLinkMessage(config, { unsubscribeUrl }, templates);

    const links = parse(html)
      .querySelectorAll('[href], [src]')
      .map((element) => element.getAttribute('href') ?? element.getAttribute('src'));
    expect(links).toEqual([unsubscribeUrl, unsubscribeUrl]);
    expect(parse(html).querySelectorAll('a')[1]?.text).toBe(unsubscribeUrl);
  });

  it('says what it is in its subject and title, and shows the list literally', () => {
    const { html, subject } = leaveLinkMessage(config, { unsubscribeUrl }, templates);

    const page = parse(html);
    const text = page.text.replace(/\s+/g, ' ');
    expect(subject).toBe(`Your link to leave ${config.listName}`);
    expect(page.querySelector('title')?.text).toBe(subject);
    expect(page.querySelectorAll('script')).toHaveLength(0);
    expect(text).toContain(`stop receiving ${config.listName} at this address`);
    expect(text).toContain('If you did not ask for this, ignore this message');
    expect(text).toContain(config.postalAddress);
    expect(page.querySelector('html')?.getAttribute('lang')).toBe('en-GB');
  });

  it('keeps a text part with the link on a line of its own and the text unescaped', () => {
    const { text } = leaveLinkMessage(config, { unsubscribeUrl }, templates);

    const lines = text.split('\n');
    expect(lines[0]).toBe('Hello,');
    expect(lines).toContain(unsubscribeUrl);
    expect(lines).toContain(config.listName);
    expect(text).not.toContain('&amp;');
  });

  it('refuses a link that is neither https: nor below the list address', () => {
    const render = () =>
      leaveLinkMessage(config, { unsubscribeUrl: 'javascript:alert(1)' }, templates);

    expect(render).toThrow(TemplateError);
    expect(render).toThrow(/confirmation\/leave-link\.html\.hbs/);
  });

  it('accepts the plain http: address of a local list below its own address', () => {
    const local = { ...config, publicBaseUrl: 'http://127.0.0.1:8787' };
    const url = 'http://127.0.0.1:8787/unsubscribe?token=abc';

    const { html } = leaveLinkMessage(local, { unsubscribeUrl: url }, templates);

    expect(parse(html).querySelector('a')?.getAttribute('href')).toBe(url);
  });
});
