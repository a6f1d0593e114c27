import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '#adapters/ses-mailer.ts';
import { startSesCaptureProxy } from '#cli/local/ses-capture-proxy.ts';
import { parseSesFaults } from '#cli/local/ses-faults.ts';
import { buildMessage } from '#core/sending/build-message.ts';
import { MailNotSentError, MailRejectedError } from '#core/sending/mail-errors.ts';
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

describe('SesMailer when SES does not take the message', () => {
  const message = {
    to: 'reader@example.com',
    raw: Buffer.from('Subject: hi\r\n\r\nHello\r\n'),
    tags: { issueId: '01JISSUE000000000000000000' },
  };

  /** A mailer on a local SES that fails every call the way `faults` says. */
  async function failing(faults: string) {
    const outboxDir = await mkdtemp(join(tmpdir(), 'newsletter-mailer-'));
    const proxy = await startSesCaptureProxy({
      outboxDir,
      sendQuota: { max24HourSend: 10, maxSendRate: 1 },
      faults: parseSesFaults(faults),
    });
    const client = sesClient(proxy.url);
    cleanups.push(async () => {
      client.destroy();
      await proxy.close();
    });
    return new SesMailer(client, 'newsletter-events');
  }

  function sesClient(endpoint: string) {
    return new SESClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  }

  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('reports throttling and 5xx answers as not sent', async () => {
    await expect((await failing('throttle=1')).send(message)).rejects.toBeInstanceOf(
      MailNotSentError,
    );
    await expect((await failing('error=1')).send(message)).rejects.toBeInstanceOf(MailNotSentError);
  });

  it('reports a connection that broke after the request left as neither sent nor not sent', async () => {
    for (const faults of ['reset=1', 'lost=1']) {
      const error = await (await failing(faults)).send(message).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(MailNotSentError);
      expect(error).not.toBeInstanceOf(MailRejectedError);
    }
  });

  it('reports SES that cannot be reached at all as not sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = sesClient(`http://127.0.0.1:${port}`);

    await expect(new SesMailer(client, 'x').send(message)).rejects.toBeInstanceOf(MailNotSentError);
    client.destroy();
  });

  it('reports MessageRejected as refused for good', async () => {
    const rejecting = createServer((_request, response) => {
      response.writeHead(400, { 'content-type': 'text/xml' });
      response.end(
        '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>' +
          '<Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error>' +
          '<RequestId>r</RequestId></ErrorResponse>',
      );
    });
    await new Promise<void>((resolve) => rejecting.listen(0, '127.0.0.1', resolve));
    const client = sesClient(`http://127.0.0.1:${(rejecting.address() as AddressInfo).port}`);
    try {
      await expect(new SesMailer(client, 'x').send(message)).rejects.toBeInstanceOf(
        MailRejectedError,
      );
    } finally {
      client.destroy();
      rejecting.closeAllConnections();
      rejecting.close();
    }
  });
});
