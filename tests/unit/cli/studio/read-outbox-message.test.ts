import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readOutboxMessage } from '#cli/studio/read-outbox-message.ts';

const ID = '20300101T090000000Z-000000-0100abc-000000';
const RAW = [
  'From: =?UTF-8?Q?The_Weekly_Sl=C3=AFde?= <digest@example.com>',
  'To: reader1@example.com',
  'Subject: =?UTF-8?B?W1RFU1RdIE11c8OpZSDDoCBtaW51aXQ=?=',
  'List-Unsubscribe: <https://news.example.com/unsubscribe?token=abc>',
  'Received: from a',
  'Received: from b',
  'X-Note: a long value',
  '  folded onto a second line',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello in text',
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<!doctype html><p>Hello in HTML</p>',
  '--b1--',
  '',
].join('\r\n');

let outbox: string;

beforeEach(async () => {
  outbox = await mkdtemp(join(tmpdir(), 'outbox-'));
  await writeFile(join(outbox, `${ID}.eml`), RAW);
  await writeFile(join(outbox, `${ID}.json`), '{}');
});
afterEach(async () => {
  await rm(outbox, { recursive: true, force: true });
});

describe('readOutboxMessage', () => {
  it('answers the parts and the decoded subject and addresses of an accepted message', async () => {
    const message = await readOutboxMessage(outbox, ID);

    expect(message).toMatchObject({
      id: ID,
      subject: '[TEST] Musée à minuit',
      from: '"The Weekly Slïde" <digest@example.com>',
      to: 'reader1@example.com',
      html: '<!doctype html><p>Hello in HTML</p>',
      text: 'Hello in text',
    });
  });

  it('lists every header line in order, unfolded, repeated ones each in place, decoded where parsed', async () => {
    const message = await readOutboxMessage(outbox, ID);

    expect(message?.headers).toEqual([
      ['From', '"The Weekly Slïde" <digest@example.com>'],
      ['To', 'reader1@example.com'],
      ['Subject', '[TEST] Musée à minuit'],
      ['List-Unsubscribe', '<https://news.example.com/unsubscribe?token=abc>'],
      ['Received', 'from a'],
      ['Received', 'from b'],
      ['X-Note', 'a long value folded onto a second line'],
      ['MIME-Version', '1.0'],
      ['Content-Type', 'multipart/alternative; boundary="b1"'],
    ]);
  });

  it('reads nothing for an id with a path in it, or for a message without its record', async () => {
    await writeFile(join(outbox, 'lonely.eml'), RAW);

    expect(await readOutboxMessage(outbox, `../${ID}`)).toBeUndefined();
    expect(await readOutboxMessage(outbox, `${ID}.json`)).toBeUndefined();
    expect(await readOutboxMessage(outbox, 'lonely')).toBeUndefined();
  });
});
