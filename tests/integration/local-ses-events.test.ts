import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SESClient, SESServiceException, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { afterEach, describe, expect, it } from 'vitest';
import { type SesCaptureProxy, startSesCaptureProxy } from '#cli/local/ses-capture-proxy.ts';
import { parseSesFaults, type SesFaults } from '#cli/local/ses-faults.ts';

const open: { proxy: SesCaptureProxy; client: SESClient; dir: string }[] = [];

afterEach(async () => {
  for (const { proxy, client, dir } of open.splice(0)) {
    client.destroy();
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
});

async function start(faults: SesFaults = parseSesFaults(''), dir?: string) {
  const outboxDir = dir ?? (await mkdtemp(path.join(tmpdir(), 'newsletter-ses-events-')));
  const proxy = await startSesCaptureProxy({
    outboxDir,
    sendQuota: { max24HourSend: 1000, maxSendRate: 10 },
    faults,
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

  it('takes the message, publishes its Send event and loses the answer', async () => {
    const { client, outboxDir, proxy, published, collect } = await start(parseSesFaults('lost=1'));
    await proxy.publishEventsTo(collect);

    await expect(send(client)).rejects.toBeInstanceOf(Error);

    expect(await accepted(outboxDir)).toBe(1);
    expect(published.map((event) => event.eventType)).toEqual(['Send']);
  });
});

describe('the local SES’s events', () => {
  it('publishes a Send event in AWS’s format, with the message tags', async () => {
    const { client, proxy, published, collect } = await start();
    await proxy.publishEventsTo(collect);

    const { MessageId } = await send(client);

    expect(published).toEqual([
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
      'Complaint',
    ]);
    expect(published[3]).toMatchObject({
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'bounce+1@simulator.amazonses.com' }],
      },
    });
    expect(published[5]).toMatchObject({
      complaint: { complainedRecipients: [{ emailAddress: 'complaint@simulator.amazonses.com' }] },
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

    expect(replayed).toBe(2);
    expect(again).toBe(0);
  });

  it('keeps the events of what it took before they had anywhere to go', async () => {
    const { client, proxy, published, collect } = await start();

    await send(client);
    const replayed = await proxy.publishEventsTo(collect);

    expect(replayed).toBe(1);
    expect(published.map((event) => event.eventType)).toEqual(['Send']);
  });

  it('removes at start a message a crash left without its record: it was never taken', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsletter-ses-events-'));
    await writeFile(path.join(dir, '20261127T080000000Z-000000-orphan.eml'), 'Subject: x\r\n\r\n');

    await start(undefined, dir);

    expect(await readdir(dir)).toEqual([]);
  });
});
