import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMessage } from '#core/sending/build-message.ts';
import {
  headerValue,
  messageHeaderLines,
  parseHeaderLines,
} from '#core/sending/message-header-lines.ts';
import { mailparserHeaderLines } from '../support/mailparser-header-lines.ts';

/** The header block of a message: what the preview parses. */
function headerBlock(raw: Uint8Array): Buffer {
  const bytes = Buffer.from(raw);
  const end = bytes.indexOf('\r\n\r\n');
  return bytes.subarray(0, end + 4);
}

const NAMES = [
  'The Weekly Slide',
  "Zoë O'Brien & <Sons>",
  'Ünïcödé "quoted" \\ back',
  'a, b; c: d',
  'שבוע 12: רכבות לילה',
  '日本語のニュースレター週刊号とても長い名前がここに入ります日本語のニュースレター',
];
const SUBJECTS = [
  'Issue 12: night trains',
  'Ça va? Über «quotes» — dashes',
  '🚂 Night trains & 🌙 sleepers, a subject long enough to be folded over more than one line',
  '日本語の件名はとても長くなることがありますので折り返しが必要になります日本語の件名',
  '=?UTF-8?Q?looks_encoded?= but is text',
  'a   b  spaced',
];
const FROM = ['digest@example.com', 'digest@bücher.example'];

describe('parseHeaderLines', () => {
  it('lists the headers of every message buildMessage writes as mailparser read them', async () => {
    for (const name of NAMES) {
      for (const subject of SUBJECTS) {
        for (const address of FROM) {
          const block = headerBlock(
            await buildMessage({
              from: { name, address },
              to: 'zoe@xn--bcher-kva.example',
              subject,
              listId: `${name} <weekly.example.com>`,
              unsubscribeUrl: 'https://news.example.com/unsubscribe?token=a.b-c',
              messageId: '<01JISSUE.01JSUB@weekly.example.com>',
              text: 'Text.',
              html: '<p>HTML.</p>',
            }),
          );

          const lines = await parseHeaderLines(block);

          expect({ name, subject, address, lines }).toEqual({
            name,
            subject,
            address,
            lines: await mailparserHeaderLines(block),
          });
        }
      }
    }
  });

  it('decodes text, ids and addresses, and shows every other header as written, unfolded', async () => {
    const block = [
      'From: =?UTF-8?B?WsO2ZQ==?= <zoe@example.com>',
      'To: a@example.com, "B, C" <b@example.com>, Team: x@example.com, "Y" <y@example.com>;',
      'Subject: =?UTF-8?Q?caf=C3=A9?=',
      ' =?UTF-8?Q?_au_lait?= and more',
      'Message-ID: abc@example.com',
      'References: <a@example.com>',
      ' <c@example.com>',
      'Date: Thu, 06 Mar 2025 08:00:00 +0000',
      'X-Note: some =?UTF-8?Q?caf=C3=A9?= value',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative;',
      ' boundary="--_b-1"',
      'List-Id: "A list" <list.example.com>',
      'List-Unsubscribe: <https://x.example/u>',
      'Cc: =?UTF-8?Q?J=C3=BCrgen?= <j@xn--mller-kva.example>',
      '',
      '',
    ].join('\r\n');

    const lines = await parseHeaderLines(block);

    expect(lines).toEqual([
      ['From', '"Zöe" <zoe@example.com>'],
      ['To', 'a@example.com, "B, C" <b@example.com>, "Team": x@example.com, "Y" <y@example.com>;'],
      ['Subject', 'café au lait and more'],
      ['Message-ID', '<abc@example.com>'],
      ['References', '<a@example.com> <c@example.com>'],
      ['Date', 'Thu, 06 Mar 2025 08:00:00 +0000'],
      ['X-Note', 'some =?UTF-8?Q?caf=C3=A9?= value'],
      ['MIME-Version', '1.0'],
      ['Content-Type', 'multipart/alternative; boundary="--_b-1"'],
      ['List-Id', '"A list" <list.example.com>'],
      ['List-Unsubscribe', '<https://x.example/u>'],
      ['Cc', '"Jürgen" <j@müller.example>'],
    ]);
    expect(lines).toEqual(await mailparserHeaderLines(block));
  });

  it('gives the lines of a message mailparser parsed as those of postal-mime (the Studio’s outbox)', async () => {
    const raw = await buildMessage({
      from: { name: NAMES[1] as string, address: 'digest@example.com' },
      to: 'zoe@example.com',
      subject: SUBJECTS[2] as string,
      listId: 'The Weekly Slide <weekly.example.com>',
      unsubscribeUrl: 'https://news.example.com/unsubscribe?token=a.b-c',
      text: 'Text.',
      html: '<p>HTML.</p>',
    });

    expect(messageHeaderLines(await simpleParser(Buffer.from(raw)))).toEqual(
      await parseHeaderLines(raw),
    );
  });
});

describe('headerValue', () => {
  it('decodes UTF-8 encoded words, Q and B, joining a character split between two words', () => {
    expect(headerValue('subject', '=?UTF-8?Q?Z=C3=B6e_?= =?UTF-8?B?8J+a?= =?UTF-8?B?gg==?=')).toBe(
      'Zöe 🚂',
    );
    expect(
      headerValue('subject', '=?utf-8?q?caf=C3?= =?utf-8?q?=A9?= and =?UTF-8?Q?th=C3=A9?='),
    ).toBe('café and thé');
    expect(headerValue('subject', 'no words here')).toBe('no words here');
  });

  it('shows addresses as text: names quoted and decoded, a punycode domain in Unicode', () => {
    expect(headerValue('from', '"Quote \\" and \\\\" <q@example.com>')).toBe(
      '"Quote \\" and \\\\" <q@example.com>',
    );
    expect(headerValue('to', 'plain@example.com')).toBe('plain@example.com');
    expect(headerValue('to', 'zoe@xn--bcher-kva.example')).toBe('zoe@bücher.example');
    expect(headerValue('reply-to', 'Undisclosed recipients:;')).toBe('"Undisclosed recipients": ;');
  });

  it('puts a message id in angle brackets, and leaves the other headers as written', () => {
    expect(headerValue('message-id', '<a.b@weekly.example.com>')).toBe('<a.b@weekly.example.com>');
    expect(headerValue('in-reply-to', 'a.b@weekly.example.com')).toBe('<a.b@weekly.example.com>');
    expect(headerValue('message-id', '')).toBe('');
    for (const key of ['date', 'content-type', 'list-id', 'references', 'mime-version', 'x-a']) {
      expect(headerValue(key, '=?UTF-8?Q?caf=C3=A9?= <x@y>')).toBe('=?UTF-8?Q?caf=C3=A9?= <x@y>');
    }
  });
});
