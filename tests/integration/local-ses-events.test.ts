import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SESClient, SESServiceException, SendRawEmailCommand } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterEach, describe, expect, it } from 'vitest';
import { type SesCaptureProxy, startSesCaptureProxy } from '#cli/local/ses-capture-proxy.ts';
import { parseSesEngagement } from '#cli/local/ses-engagement.ts';
import { parseSesFaults, type SesFaults } from '#cli/local/ses-faults.ts';

const open: { proxy: SesCaptureProxy; client: SESClient; dir: string }[] = [];

afterEach(async () => {
  for (const { proxy, client, dir } of open.splice(0)) {
    client.destroy();
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
});

async function start(
  faults: SesFaults = parseSesFaults(''),
  dir?: string,
  more: { engagement?: string; seed?: string } = {},
) {
  const outboxDir = dir ?? (await mkdtemp(path.join(tmpdir(), 'newsletter-ses-events-')));
  const proxy = await startSesCaptureProxy({
    outboxDir,
    sendQuota: { max24HourSend: 1000, maxSendRate: 10 },
    faults,
    engagement: parseSesEngagement(more.engagement ?? ''),
    ...(more.seed ? { faultsSeed: more.seed } : {}),
  });
  const client = new SESClient({
    endpoint: proxy.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 5000, throwOnRequestTimeout: true },
  });
  const published: Record<string, unknown>[] = [];
  open.push({ proxy, client, dir: outboxDir });
  return {
    proxy,
    client,
    outboxDir,
    published,
    collect: async (message: string) => {
      published.push(JSON.parse(message));
    },
  };
}

function send(
  client: SESClient,
  to = 'reader@example.com',
  configurationSet: string | null = 'newsletter-events',
) {
  return client.send(
    new SendRawEmailCommand({
      RawMessage: {
        Data: Buffer.from(
          `From: Digest <digest@example.com>\r\nTo: ${to}\r\nSubject: Hello\r\n\r\nHi\r\n`,
        ),
      },
      Destinations: [to],
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      Tags: [
        { Name: 'issueId', Value: '01JISSUE000000000000000000' },
        { Name: 'subscriberId', Value: '01JSUB00000000000000000001' },
      ],
    }),
  );
}

async function accepted(dir: string) {
  return (await readdir(dir)).filter((file) => file.endsWith('.json')).length;
}

describe('the local SES’s faults', () => {
  it('answers with SES’s Throttling error and takes nothing', async () => {
    const { client, outboxDir } = await start(parseSesFaults('throttle=1'));

    await expect(send(client)).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await accepted(outboxDir)).toBe(0);
  });

  it('answers with a 500 and takes nothing', async () => {
    const { client, outboxDir } = await start(parseSesFaults('error=1'));

    await expect(send(client)).rejects.toMatchObject({
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500 },
    });
    expect(await accepted(outboxDir)).toBe(0);
  });

  it('drops the connection before taking the message: nothing sent, no event', async () => {
    const { client, outboxDir, proxy, published, collect } = await start(parseSesFaults('reset=1'));
    await proxy.publishEventsTo(collect);

    const error = await send(client).catch((e: unknown) => e as Error);

    // No answer from SES at all: not one of its error responses.
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SESServiceException);
    expect(await accepted(outboxDir)).toBe(0);
    expect(published).toEqual([]);
  });

  it('takes the message, publishes its events and loses the answer', async () => {
    const { client, outboxDir, proxy, published, collect } = await start(parseSesFaults('lost=1'));
    await proxy.publishEventsTo(collect);

    await expect(send(client)).rejects.toBeInstanceOf(Error);

    expect(await accepted(outboxDir)).toBe(1);
    expect(published.map((event) => event.eventType)).toEqual(['Send', 'Delivery']);
  });
});

describe('the local SES’s events', () => {
  it('publishes a Send event in AWS’s format, with the message tags', async () => {
    const { client, proxy, published, collect } = await start();
    await proxy.publishEventsTo(collect);

    const { MessageId } = await send(client);

    expect(published.filter((event) => event.eventType === 'Send')).toEqual([
      {
        eventType: 'Send',
        send: {},
        mail: expect.objectContaining({
          messageId: MessageId,
          source: 'digest@example.com',
          destination: ['reader@example.com'],
          commonHeaders: expect.objectContaining({ subject: 'Hello' }),
          tags: expect.objectContaining({
            'ses:configuration-set': ['newsletter-events'],
            issueId: ['01JISSUE000000000000000000'],
            subscriberId: ['01JSUB00000000000000000001'],
          }),
        }),
      },
    ]);
  });

  it('answers for SES’s mailbox simulator: a delivery, a permanent bounce and a complaint', async () => {
    const { client, proxy, published, collect } = await start();
    await proxy.publishEventsTo(collect);

    await send(client, 'success@simulator.amazonses.com');
    await send(client, 'bounce+1@simulator.amazonses.com');
    await send(client, 'complaint@simulator.amazonses.com');

    expect(published.map((event) => event.eventType)).toEqual([
      'Send',
      'Delivery',
      'Send',
      'Bounce',
      'Send',
      'Delivery',
      'Complaint',
    ]);
    expect(published[3]).toMatchObject({
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'bounce+1@simulator.amazonses.com' }],
      },
    });
    expect(published[6]).toMatchObject({
      complaint: { complainedRecipients: [{ emailAddress: 'complaint@simulator.amazonses.com' }] },
    });
  });

  it('delivers every message to any other address, and says so with a Delivery event', async () => {
    const { client, proxy, published, collect } = await start();
    await proxy.publishEventsTo(collect);

    const { MessageId } = await send(client, 'reader@example.com');

    expect(published.map((event) => event.eventType)).toEqual(['Send', 'Delivery']);
    expect(published[1]).toMatchObject({
      mail: { messageId: MessageId, tags: { subscriberId: ['01JSUB00000000000000000001'] } },
      delivery: { recipients: ['reader@example.com'], timestamp: expect.any(String) },
    });
  });

  it('publishes nothing for a message sent without a configuration set, as SES does', async () => {
    const { client, proxy, published, collect } = await start();
    await proxy.publishEventsTo(collect);

    await send(client, 'reader@example.com', null);

    expect(published).toEqual([]);
  });

  it('publishes again after a crash the events it may have lost, and not after a clean stop', async () => {
    const first = await start();
    await first.proxy.publishEventsTo(first.collect);
    await send(first.client);
    await send(first.client);
    // A crash: the process dies without a checkpoint.
    const afterCrash = await start(undefined, first.outboxDir);
    const replayed = await afterCrash.proxy.publishEventsTo(afterCrash.collect);
    await send(afterCrash.client);
    await afterCrash.proxy.checkpointEvents();

    const afterStop = await start(undefined, first.outboxDir);
    const again = await afterStop.proxy.publishEventsTo(afterStop.collect);

    // Two messages of two events each (Send, Delivery).
    expect(replayed).toBe(4);
    expect(again).toBe(0);
  });

  it('keeps the events of what it took before they had anywhere to go', async () => {
    const { client, proxy, published, collect } = await start();

    await send(client);
    const replayed = await proxy.publishEventsTo(collect);

    expect(replayed).toBe(2);
    expect(published.map((event) => event.eventType)).toEqual(['Send', 'Delivery']);
  });

  it('removes at start a message a crash left without its record: it was never taken', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsletter-ses-events-'));
    await writeFile(path.join(dir, '20261127T080000000Z-000000-orphan.eml'), 'Subject: x\r\n\r\n');

    await start(undefined, dir);

    expect(await readdir(dir)).toEqual([]);
  });
});

const ARTICLE = 'https://news.example.com/articles/night-trains?ref=digest&utm_medium=email';
const ARCHIVE = 'https://news.example.com/issues/01JISSUE000000000000000000';
const UNSUBSCRIBE = 'https://news.example.com/unsubscribe?token=reader-token';

/** A digest-like message as nodemailer writes it: text and quoted-printable HTML. */
async function digest(to: string): Promise<Buffer> {
  const long = 'A sentence long enough to make quoted-printable fold its lines. '.repeat(4);
  return new MailComposer({
    from: 'Digest <digest@example.com>',
    to,
    subject: 'Night trains are back',
    text: `Night trains are back. ${ARTICLE}`,
    html:
      `<p>${long}</p><p><a href="${ARTICLE.replace('&', '&amp;')}" style="color:#0b57a4">Read on</a></p>` +
      `<p><a href="${UNSUBSCRIBE}" ses:no-track style="color:#0b57a4">Unsubscribe</a>` +
      `<a href="${ARCHIVE}">View in browser</a><a href="mailto:editor@example.com">Write</a></p>`,
  })
    .compile()
    .build();
}

function sendDigest(client: SESClient, raw: Buffer, to: string, subscriberId: string) {
  return client.send(
    new SendRawEmailCommand({
      RawMessage: { Data: raw },
      Destinations: [to],
      ConfigurationSetName: 'newsletter-events',
      Tags: [
        { Name: 'issueId', Value: '01JISSUE000000000000000000' },
        { Name: 'subscriberId', Value: subscriberId },
      ],
    }),
  );
}

/** Sends the digest to `count` readers; the events published, by reader. */
async function digestToReaders(count: number, engagement: string, seed: string) {
  const { client, proxy, published, collect } = await start(undefined, undefined, {
    engagement,
    seed,
  });
  await proxy.publishEventsTo(collect);
  for (let n = 1; n <= count; n++) {
    const to = `reader${n}@example.com`;
    await sendDigest(client, await digest(to), to, `01JSUB${String(n).padStart(20, '0')}`);
  }
  const of = (type: string) =>
    published
      .filter((event) => event.eventType === type)
      .map((event) => (event.mail as { destination: string[] }).destination[0]);
  return { published, opened: of('Open'), clicked: of('Click') };
}

describe('the local SES’s opens and clicks (NEWSLETTER_LOCAL_SES_ENGAGEMENT)', () => {
  it('publishes an Open and a Click on a tracked link for every delivered message at 1', async () => {
    const { published } = await digestToReaders(1, 'open=1,click=1', 'seed-1');

    expect(published.map((event) => event.eventType)).toEqual([
      'Send',
      'Delivery',
      'Open',
      'Click',
    ]);
    expect(published[2]).toMatchObject({
      open: { timestamp: expect.any(String), ipAddress: '127.0.0.1' },
      mail: { tags: { issueId: ['01JISSUE000000000000000000'] } },
    });
    expect(published[3]).toMatchObject({ click: { link: expect.any(String) } });
    expect([ARTICLE, ARCHIVE]).toContain(
      (published[3]?.click as { link?: string } | undefined)?.link,
    );
  });

  it('never clicks the unsubscribe link, nor a link that is no web address', async () => {
    const { published } = await digestToReaders(30, 'click=1', 'seed-2');

    const links = published
      .filter((event) => event.eventType === 'Click')
      .map((event) => (event.click as { link: string }).link);
    expect(links).toHaveLength(30);
    expect(new Set(links)).toEqual(new Set([ARTICLE, ARCHIVE]));
  });

  it('picks the same readers with the same seed, and about the share asked for', async () => {
    const first = await digestToReaders(40, 'open=0.5,click=0.25', 'seed-3');
    const again = await digestToReaders(40, 'open=0.5,click=0.25', 'seed-3');
    const other = await digestToReaders(40, 'open=0.5,click=0.25', 'seed-4');

    expect(again.opened).toEqual(first.opened);
    expect(again.clicked).toEqual(first.clicked);
    expect(other.opened).not.toEqual(first.opened);
    expect(first.opened.length).toBeGreaterThan(10);
    expect(first.opened.length).toBeLessThan(30);
    expect(first.clicked.length).toBeGreaterThan(2);
    expect(first.clicked.length).toBeLessThan(20);
  });

  it('publishes no open or click for a bounce, nor without engagement', async () => {
    const engaged = await start(undefined, undefined, { engagement: 'open=1,click=1' });
    await engaged.proxy.publishEventsTo(engaged.collect);
    const plain = await start();
    await plain.proxy.publishEventsTo(plain.collect);
    const bounce = 'bounce@simulator.amazonses.com';

    await sendDigest(engaged.client, await digest(bounce), bounce, '01JSUB00000000000000000001');
    await sendDigest(
      plain.client,
      await digest('reader@example.com'),
      'reader@example.com',
      '01JSUB00000000000000000002',
    );

    expect(engaged.published.map((event) => event.eventType)).toEqual(['Send', 'Bounce']);
    expect(plain.published.map((event) => event.eventType)).toEqual(['Send', 'Delivery']);
  });
});
