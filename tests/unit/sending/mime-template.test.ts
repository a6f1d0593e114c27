import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { personalize } from '#core/rendering/personalize.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { HeaderValueError } from '#core/sending/build-message.ts';
import {
  buildMimeTemplate,
  type MimeRecipient,
  type MimeSender,
} from '#core/sending/mime-template.ts';
import { unsubscribeUrl } from '#core/subscribers/unsubscribe-url.ts';

const UNSUBSCRIBE = 'nlm_unsubscribeUrl_0123456789abcdef0123';
const NAME = 'nlm_name_fedcba9876543210fedc';

/** A render with both markers, non-ASCII text, long lines and characters QP must encode. */
const rendered: RenderedIssue = {
  issueId: '01JISSUE000000000000000000',
  subject: 'Café crème: the week in pictures',
  preheader: 'Five photos from the harbour',
  html:
    `<html><body><p>Hello ${NAME}, ünïcödé &amp; = signs</p>` +
    `<p>${'A long line of text without breaks. '.repeat(8)}</p>` +
    `<a href="${UNSUBSCRIBE}">Unsubscribe</a></body></html>`,
  text: `Hello ${NAME},\nthe week in pictures — ünïcödé.\n\nUnsubscribe: ${UNSUBSCRIBE}\n`,
  markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
};

const sender: MimeSender = {
  from: { name: 'The Weekly Slide', address: 'digest@example.com' },
  listId: 'weekly.example.com',
  listName: 'The Weekly Slide',
  publicBaseUrl: 'https://news.example.com',
};

const ada: MimeRecipient = {
  subscriberId: '01JSUB00000000000000000001',
  address: 'ada@example.com',
  name: 'Ada <Byron> & "Co"',
  unsubscribeToken: '01JSUB00000000000000000001.abc_DEF-123',
};

describe('buildMimeTemplate', () => {
  it('fills each recipient into a multipart/alternative message with text and HTML', async () => {
    const template = await buildMimeTemplate(rendered, sender);

    const mail = await simpleParser(template.fill(ada));

    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    const expected = personalize(rendered, {
      unsubscribeUrl: unsubscribeUrl(sender.publicBaseUrl, ada.unsubscribeToken),
      name: ada.name,
    });
    expect(mail.html).toBe(expected.html);
    expect(mail.text).toBe(expected.text);
    expect(mail.subject).toBe(rendered.subject);
    expect(mail.to).toMatchObject({ value: [{ address: 'ada@example.com' }] });
  });

  it('carries one-click unsubscribe, List-Id and a Message-ID of its own per recipient', async () => {
    const template = await buildMimeTemplate(rendered, sender);

    const raw = template
      .fill(ada)
      .toString('latin1')
      .replace(/\r\n[ \t]+/g, ' ');

    expect(raw).toContain(
      `List-Unsubscribe: <https://news.example.com/unsubscribe?token=${ada.unsubscribeToken}>`,
    );
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw).toMatch(/List-ID: The Weekly Slide <weekly\.example\.com>/i);
    expect(raw).toContain(
      `Message-ID: <${rendered.issueId}.${ada.subscriberId}@weekly.example.com>`,
    );
  });

  it('gives two recipients their own link and name, and nothing of the other', async () => {
    const template = await buildMimeTemplate(rendered, sender);
    const grace = {
      ...ada,
      subscriberId: '01JSUB00000000000000000002',
      address: 'grace@example.com',
      name: 'Grace',
      unsubscribeToken: 'grace-token',
    };

    const [first, second] = [template.fill(ada), template.fill(grace)].map((raw) =>
      raw.toString('latin1'),
    );

    expect(second).toContain('grace-token');
    expect(second).not.toContain(ada.unsubscribeToken);
    expect(second).not.toContain('ada@example.com');
    expect(first).not.toContain('grace');
  });

  it('keeps every body line within 76 characters and writes CRLF line ends only', async () => {
    const template = await buildMimeTemplate(rendered, sender);

    const raw = template.fill({ ...ada, name: 'Ž'.repeat(100) }).toString('latin1');
    const body = raw.slice(raw.indexOf('\r\n\r\n'));

    expect(body).not.toMatch(/[^\r]\n/);
    expect(Math.max(...body.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(76);
  });

  it('writes a non-ASCII domain in punycode', async () => {
    const template = await buildMimeTemplate(rendered, sender);

    const raw = template.fill({ ...ada, address: 'zoe@exämple.com' }).toString('latin1');

    expect(raw).toContain('To: zoe@xn--exmple-cua.com');
  });

  it.each([
    ['a line break in the address', { address: 'ada@example.com\r\nBcc: eve@example.com' }],
    ['a non-ASCII local part', { address: 'zoë@example.com' }],
    ['a control character in the name', { name: 'Ada\u0007' }],
    ['a token a URL cannot carry', { unsubscribeToken: 'abc def' }],
  ])('refuses a recipient with %s', async (_what, change) => {
    const template = await buildMimeTemplate(rendered, sender);

    expect(() => template.fill({ ...ada, ...change })).toThrow(HeaderValueError);
  });

  it('refuses a subject with a control character', async () => {
    await expect(
      buildMimeTemplate({ ...rendered, subject: 'Hello\r\nBcc: eve@example.com' }, sender),
    ).rejects.toThrow(HeaderValueError);
  });

  it.each([
    ['sender name', { from: { ...sender.from, name: 'News\u0000' } }],
    ['list name', { listName: 'Weekly\r\nBcc: eve@example.com' }],
    ['list id', { listId: 'weekly.example.com\n' }],
    ['public address', { publicBaseUrl: 'https://news.example.com\r\nBcc: eve@example.com' }],
  ])('refuses a %s with a control character', async (_what, change) => {
    await expect(buildMimeTemplate(rendered, { ...sender, ...change })).rejects.toThrow(
      HeaderValueError,
    );
  });

  it('decodes to exactly what the recipient should read, whatever their name', async () => {
    const template = await buildMimeTemplate(rendered, sender);
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: 'grapheme', maxLength: 60 })
          // biome-ignore lint/suspicious/noControlCharactersInRegex: names with them are refused
          .filter((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name)),
        async (name) => {
          const mail = await simpleParser(template.fill({ ...ada, name }));
          const expected = personalize(rendered, {
            unsubscribeUrl: unsubscribeUrl(sender.publicBaseUrl, ada.unsubscribeToken),
            name,
          });
          expect(mail.html).toBe(expected.html);
          expect(mail.text).toBe(expected.text);
        },
      ),
      { numRuns: 60 },
    );
  });
});
