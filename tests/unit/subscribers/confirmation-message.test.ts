import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { TemplateError } from '#core/rendering/template-error.ts';
import {
  type ConfirmationTemplates,
  confirmationMessage,
} from '#core/subscribers/confirmation-message.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';

const hostile = `<script>alert("x")</script> & 'quoted' {{listName}}`;
const config = {
  listName: `The Weekly Slide ${hostile}`,
  postalAddress: `1 Example Street ${hostile}`,
  language: 'en-GB',
  confirmLinkHours: 48,
  publicBaseUrl: 'https://news.example.com',
};
const confirmUrl = 'https://news.example.com/confirm?token=01JSUB.abc-DEF_1&x=<y>';

let templates: ConfirmationTemplates;
beforeAll(async () => {
  templates = await compileConfirmationTemplates();
});

describe('the confirmation email', () => {
  it('is HTML that MJML made when built, with no MJML or template syntax left in it', () => {
    expect(templates.html).toMatch(/^<!doctype html>/i);
    expect(templates.html).not.toMatch(/<mj-|\\\{\{/);
    expect(templates.html).toContain('{{https confirmUrl}}');
  });

  it('links its button and its written-out link to the confirmation address, and nothing else', () => {
    const { html } = confirmationMessage(config, { confirmUrl }, templates);

    const links = parse(html)
      .querySelectorAll('[href], [src]')
      .map((element) => element.getAttribute('href') ?? element.getAttribute('src'));
    expect(links).toEqual([confirmUrl, confirmUrl]);
    expect(parse(html).querySelectorAll('a')[1]?.text).toBe(confirmUrl);
  });

  it('shows the list and its address literally in the HTML', () => {
    const { html, subject } = confirmationMessage(config, { confirmUrl }, templates);

    const page = parse(html);
    const text = page.text.replace(/\s+/g, ' ');
    expect(page.querySelectorAll('script')).toHaveLength(0);
    expect(text).toContain('Hello, Please confirm');
    expect(text).toContain(`receive ${config.listName} at this address`);
    expect(text).toContain(config.postalAddress);
    expect(page.querySelector('title')?.text).toBe(subject);
    expect(subject).toBe(`Confirm your subscription to ${config.listName}`);
    expect(page.querySelector('html')?.getAttribute('lang')).toBe('en-GB');
  });

  it('has the digest look: its head styles and default attributes', async () => {
    const digest = await loadTemplates();
    const { html } = confirmationMessage(config, { confirmUrl }, templates);

    const headStyles = parse(html)
      .querySelectorAll('style')
      .map((style) => style.text);
    expect(headStyles.some((css) => css.includes('h1, h2, h3 { font-family: Georgia'))).toBe(true);
    expect(digest.digest).toContain('{{> mjml-attributes}}');
    expect(html).toContain(
      'font-family:Arial, Helvetica, sans-serif;font-size:17px;line-height:1.6',
    );
  });

  it('greets nobody by name: the sign-up form that gave the name can be anyone’s', () => {
    const { html, text } = confirmationMessage(config, { confirmUrl }, templates);

    expect(parse(html).text).toContain('Hello,');
    expect(text.split('\n')[0]).toBe('Hello,');
  });

  it('keeps a text part with the link on a line of its own and the text unescaped', () => {
    const { text } = confirmationMessage(config, { confirmUrl }, templates);

    const lines = text.split('\n');
    expect(lines[0]).toBe('Hello,');
    expect(lines).toContain(confirmUrl);
    expect(text).toContain('The link works for 48 hours.');
    expect(lines).toContain(config.listName);
    expect(text).not.toContain('&amp;');
  });

  it('refuses a confirmation link that is neither https: nor below the list address', () => {
    const render = () =>
      confirmationMessage(config, { confirmUrl: 'javascript:alert(1)' }, templates);

    expect(render).toThrow(TemplateError);
    expect(render).toThrow(/confirmation\/confirmation\.html\.hbs/);
  });

  it('accepts the plain http: address of a local list below its own address', () => {
    const local = { ...config, publicBaseUrl: 'http://127.0.0.1:8787' };
    const url = 'http://127.0.0.1:8787/confirm?token=abc';

    const { html } = confirmationMessage(local, { confirmUrl: url }, templates);

    expect(parse(html).querySelector('a')?.getAttribute('href')).toBe(url);
  });
});
