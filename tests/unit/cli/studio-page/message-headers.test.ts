import { describe, expect, it } from 'vitest';
import type { PreviewAnswer } from '#cli/studio/page/api-types.ts';
import {
  decodeReferences,
  messageHeaders,
  unsubscribeLink,
} from '#cli/studio/page/message-headers.ts';

function preview(html: string, more: Partial<PreviewAnswer> = {}): PreviewAnswer {
  return {
    subject: 'Kites',
    preheader: 'Over the harbour',
    html,
    text: 'text',
    bytes: html.length,
    checks: [],
    ...more,
  };
}

const html =
  '<a href="https://news.example.com/issues/1">View in browser</a>' +
  '<a href="https://news.example.com/unsubscribe?token=v1.abc&amp;x=1" ses:no-track>Unsubscribe</a>';

describe('unsubscribeLink', () => {
  it('finds the link whose path ends with /unsubscribe, its references decoded', () => {
    expect(unsubscribeLink(html)).toBe('https://news.example.com/unsubscribe?token=v1.abc&x=1');
  });

  it('finds none in HTML without one, and skips addresses that are not absolute', () => {
    expect(
      unsubscribeLink('<a href="/unsubscribe">Leave</a><a href="mailto:a@example.com">Mail</a>'),
    ).toBeUndefined();
  });
});

describe('messageHeaders', () => {
  it('derives the subject, List-Unsubscribe from the HTML, the one-click header, and says which it cannot know', () => {
    const rows = messageHeaders(preview(html));
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]));

    expect(byName.Subject).toEqual({ name: 'Subject', value: 'Kites', source: 'answer' });
    expect(byName['List-Unsubscribe']).toEqual({
      name: 'List-Unsubscribe',
      value: '<https://news.example.com/unsubscribe?token=v1.abc&x=1>',
      source: 'html',
    });
    expect(byName['List-Unsubscribe-Post']?.value).toBe('List-Unsubscribe=One-Click');
    expect(['From', 'To', 'Message-ID', 'List-Id'].map((name) => byName[name]?.source)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  it('takes From from the answer when it gives the sender', () => {
    const rows = messageHeaders(
      preview(html, { from: { name: 'The Weekly Slide', address: 'digest@example.com' } }),
    );

    expect(rows.find((row) => row.name === 'From')).toEqual({
      name: 'From',
      value: 'The Weekly Slide <digest@example.com>',
      source: 'answer',
    });
  });

  it('gives the headers of an answer that carries them, as they are', () => {
    const headers: [string, string][] = [
      ['From', 'The Weekly Slide <digest@example.com>'],
      ['List-Id', 'The Weekly Slide <weekly-slide.example.com>'],
    ];

    expect(messageHeaders(preview(html, { headers }))).toEqual(
      headers.map(([name, value]) => ({ name, value, source: 'answer' })),
    );
  });
});

describe('decodeReferences', () => {
  it('decodes named, decimal and hexadecimal references, and keeps unknown names', () => {
    expect(decodeReferences('a&amp;b&#38;c&#x26;d&quot;&nbsp;')).toBe('a&b&c&d"&nbsp;');
  });
});
