import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMessage, HeaderValueError, type MessageParts } from '#core/sending/build-message.ts';

const parts: MessageParts = {
  from: { name: 'The Weekly Slide', address: 'digest@example.com' },
  to: 'reader@example.com',
  subject: 'Stars swap stages: the week in pictures',
  listId: 'The Weekly Slide <weekly.example.com>',
  unsubscribeUrl: 'https://news.example.com/unsubscribe?token=abc.def',
  text: 'Plain text with ünïcödé',
  html: '<p>HTML with ünïcödé</p>',
};

describe('buildMessage', () => {
  it('builds a multipart/alternative message with a text and an HTML part', async () => {
    const raw = await buildMessage(parts);

    const mail = await simpleParser(Buffer.from(raw));
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(mail.text?.trim()).toBe(parts.text);
    expect(mail.html).toContain(parts.html);
    expect(mail.subject).toBe(parts.subject);
  });

  it('carries RFC 8058 one-click unsubscribe and List-Id headers', async () => {
    const raw = Buffer.from(await buildMessage(parts)).toString('utf8');

    expect(raw).toContain(`List-Unsubscribe: <${parts.unsubscribeUrl}>`);
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw).toMatch(/List-I[Dd]: The Weekly Slide <weekly\.example\.com>/);
  });

  it('writes the Message-ID it is given', async () => {
    const raw = Buffer.from(
      await buildMessage({ ...parts, messageId: '<01JISSUE.01JSUB@weekly.example.com>' }),
    );

    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe('<01JISSUE.01JSUB@weekly.example.com>');
  });

  it.each([
    ['subject', { subject: 'Hi\r\nBcc: victim@example.com' }],
    ['to', { to: 'reader@example.com\nBcc: victim@example.com' }],
    ['from', { from: { name: 'News\u0000', address: 'digest@example.com' } }],
    ['List-Id', { listId: 'Weekly <weekly.example.com>\r\nBcc: victim@example.com' }],
    ['List-Unsubscribe', { unsubscribeUrl: 'https://news.example.com/\nBcc: x@example.com' }],
    ['Message-ID', { messageId: '<a@b>\r\nBcc: victim@example.com' }],
  ])('refuses a control character in %s', async (_field, change) => {
    await expect(buildMessage({ ...parts, ...change })).rejects.toThrow(HeaderValueError);
  });
});
