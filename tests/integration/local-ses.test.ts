import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetSendQuotaCommand,
  SESClient,
  SendRawEmailCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '#cli/local/start-local-aws.ts';

const sendQuota = { max24HourSend: 50_000, maxSendRate: 14 };

describe('the local SES', () => {
  let stateDir: string;
  let aws: LocalAws;
  let ses: SESClient;

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'newsletter-local-ses-'));
    aws = await startLocalAws({ stateDir, sendQuota });
    ses = new SESClient({
      endpoint: aws.env.AWS_ENDPOINT_URL_SES,
      region: aws.env.AWS_REGION,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      maxAttempts: 1,
      // A request the local SES left unanswered fails the test instead of hanging it.
      requestHandler: { requestTimeout: 5_000 },
    });
  });

  afterAll(async () => {
    ses?.destroy();
    await aws?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  async function outboxFile(messageId: string, extension: '.eml' | '.json'): Promise<Buffer> {
    const names = await readdir(aws.outboxDir);
    const name = names.find((file) => file.endsWith(`-${messageId}${extension}`));
    if (!name) throw new Error(`No ${extension} for ${messageId} in ${names.join(', ')}`);
    return readFile(path.join(aws.outboxDir, name));
  }

  function sendRaw(raw: Uint8Array, to = ['reader@example.com']) {
    return ses.send(
      new SendRawEmailCommand({
        RawMessage: { Data: raw },
        Destinations: to,
        ConfigurationSetName: 'newsletter-local',
        Tags: [
          { Name: 'issue', Value: '01JABCDEF0123456789ABCDEFG' },
          { Name: 'subscriber', Value: 'sub_42-x' },
        ],
      }),
    );
  }

  it('writes the raw message to the outbox exactly as it was sent', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        'From: Digest <digest@example.com>\r\nTo: reader@example.com\r\n' +
          'Subject: =?UTF-8?Q?Caf=C3=A9?=\r\nMessage-ID: <kept@example.com>\r\n' +
          'List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n' +
          'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' +
          'Caf\u00e9 cr\u00e8me + tea = 100%  \r\n.\r\n',
      ),
      Buffer.from([0x00, 0xff, 0x0a, 0x0d]),
    ]);

    const { MessageId } = await sendRaw(raw);

    expect(await outboxFile(MessageId ?? '', '.eml')).toEqual(raw);
  });

  it('records the destinations, configuration set and tags of each message', async () => {
    const { MessageId } = await sendRaw(Buffer.from('Subject: hi\r\n\r\nHello\r\n'), [
      'first@example.com',
      'second@example.com',
    ]);

    const record = JSON.parse((await outboxFile(MessageId ?? '', '.json')).toString('utf8'));
    expect(record).toMatchObject({
      messageId: MessageId,
      destinations: ['first@example.com', 'second@example.com'],
      configurationSet: 'newsletter-local',
      tags: { issue: '01JABCDEF0123456789ABCDEFG', subscriber: 'sub_42-x' },
    });
    expect(Date.parse(record.acceptedAt)).not.toBeNaN();
  });

  it('answers with a MessageId shaped like one from SES', async () => {
    const { MessageId } = await sendRaw(Buffer.from('Subject: hi\r\n\r\nHello\r\n'));

    expect(MessageId).toMatch(/^[0-9a-f]{16}-[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}-000000$/);
  });

  it('refuses a tag value that SES would refuse', async () => {
    const send = ses.send(
      new SendRawEmailCommand({
        RawMessage: { Data: Buffer.from('Subject: hi\r\n\r\nHello\r\n') },
        Tags: [{ Name: 'subscriber', Value: 'reader@example.com' }],
      }),
    );

    await expect(send).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('reports the configured send quota', async () => {
    const quota = await ses.send(new GetSendQuotaCommand({}));

    expect(quota).toMatchObject({ Max24HourSend: 50_000, MaxSendRate: 14 });
  });

  it('counts the messages it accepted in the last 24 hours as sent', async () => {
    const before = await ses.send(new GetSendQuotaCommand({}));

    await sendRaw(Buffer.from('Subject: count me\r\n\r\nHello\r\n'));

    const after = await ses.send(new GetSendQuotaCommand({}));
    expect(after.SentLast24Hours).toBe((before.SentLast24Hours ?? 0) + 1);
  });

  it('answers an action it does not support with an SES error instead of leaving it open', async () => {
    const verify = ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'me@example.com' }));

    await expect(verify).rejects.toMatchObject({ name: 'InvalidAction' });
  });
});
