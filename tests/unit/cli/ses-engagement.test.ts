import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { engagementOf, parseSesEngagement, SesEngagementError } from '#cli/local/ses-engagement.ts';
import { trackedLinksOf } from '#cli/local/tracked-links-of.ts';

describe('parseSesEngagement', () => {
  it('reads the shares of opens and clicks, either left out', () => {
    expect(parseSesEngagement('open=0.4, click=0.1')).toEqual({ open: 0.4, click: 0.1 });
    expect(parseSesEngagement('click=1')).toEqual({ open: 0, click: 1 });
    expect(parseSesEngagement('')).toEqual({ open: 0, click: 0 });
  });

  it.each([
    ['an unknown name', 'read=0.5', /read=0.5/],
    ['a share above 1', 'open=1.5', /from 0 to 1/],
    ['a share that is not a number', 'click=many', /from 0 to 1/],
  ])('refuses %s, naming it', (_what, spec, message) => {
    expect(() => parseSesEngagement(spec)).toThrow(SesEngagementError);
    expect(() => parseSesEngagement(spec)).toThrow(message);
  });
});

describe('engagementOf', () => {
  const message = (n: number) => ({
    issueId: '01JISSUE000000000000000000',
    recipients: [`reader${n}@example.com`],
    links: ['https://news.example.com/a', 'https://news.example.com/b'],
  });

  it('opens and clicks every message at 1, none at 0, and a click only where a link is', () => {
    expect(engagementOf({ open: 1, click: 1 }, 's', message(1))).toEqual({
      opened: true,
      clicked: expect.stringMatching(/^https:\/\/news\.example\.com\/[ab]$/),
    });
    expect(engagementOf({ open: 0, click: 0 }, 's', message(1))).toEqual({ opened: false });
    expect(engagementOf({ open: 0, click: 1 }, 's', { ...message(1), links: [] })).toEqual({
      opened: false,
    });
  });

  it('gives the same answer for the same seed and message, whatever came before', () => {
    const shares = { open: 0.5, click: 0.5 };
    const forward = Array.from({ length: 50 }, (_, n) => engagementOf(shares, 'seed', message(n)));
    const backward = Array.from({ length: 50 }, (_, n) =>
      engagementOf(shares, 'seed', message(49 - n)),
    ).reverse();

    expect(backward).toEqual(forward);
    expect(forward.filter((drawn) => drawn.opened).length).toBeGreaterThan(12);
    expect(forward.filter((drawn) => drawn.opened).length).toBeLessThan(38);
  });
});

describe('trackedLinksOf', () => {
  it('finds the web links of the HTML, quoted-printable and folded, but not those marked ses:no-track', async () => {
    const article = `https://news.example.com/articles/${'long-'.repeat(20)}story?ref=digest&utm=email`;
    const raw = await new MailComposer({
      from: 'digest@example.com',
      to: 'reader@example.com',
      subject: 'Links',
      text: 'https://news.example.com/text-only',
      html:
        `<p>Café ☕ <a href="${article.replace('&', '&amp;')}">Read</a></p>` +
        '<a href="https://news.example.com/unsubscribe?token=t" ses:no-track>Unsubscribe</a>' +
        '<a href="mailto:editor@example.com">Write</a><a href="https://news.example.com/issues/1">View</a>',
    })
      .compile()
      .build();

    expect(trackedLinksOf(raw)).toEqual([article, 'https://news.example.com/issues/1']);
  });

  it('finds none in a message without HTML', () => {
    expect(
      trackedLinksOf(Buffer.from('Subject: Hi\r\n\r\nhttps://news.example.com/a\r\n')),
    ).toEqual([]);
  });
});
