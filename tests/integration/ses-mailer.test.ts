import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '#adapters/ses-mailer.ts';
import { buildMessage } from '#core/build-message.ts';
import { startProvisionedAws } from './support/local-aws.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
beforeAll(async () => {
  local = await startProvisionedAws();
});
afterAll(() => local.stop());

describe('SesMailer', () => {
  it('hands the exact bytes to SES with the configuration set and tags', async () => {
    const mailer = new SesMailer(local.ses, 'newsletter-events');
    const raw = await buildMessage({
      from: { name: 'The Weekly Slide', address: 'digest@example.com' },
      to: 'reader@example.com',
      subject: 'Hello',
      listId: 'The Weekly Slide <weekly.example.com>',
      unsubscribeUrl: 'https://news.example.com/unsubscribe?token=t',
      text: 'text',
      html: '<p>html</p>',
    });

    const { messageId } = await mailer.send({
      to: 'reader@example.com',
      raw,
      tags: { issueId: '01JISSUE000000000000000000', subscriberId: '01JSUB00000000000000000000' },
    });

    const names = await readdir(local.aws.outboxDir);
    const eml = names.find((name) => name.endsWith('.eml'));
    const record = JSON.parse(
      await readFile(join(local.aws.outboxDir, (eml ?? '').replace(/\.eml$/, '.json')), 'utf8'),
    );
    expect(await readFile(join(local.aws.outboxDir, eml ?? ''))).toEqual(Buffer.from(raw));
    expect(record).toMatchObject({
      messageId,
      destinations: ['reader@example.com'],
      configurationSet: 'newsletter-events',
      tags: { issueId: '01JISSUE000000000000000000', subscriberId: '01JSUB00000000000000000000' },
    });
  });
});
