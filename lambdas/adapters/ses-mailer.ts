import { type SESClient, SESServiceException, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { MailNotSentError, MailRejectedError } from '#core/mail-errors.ts';
import type { Mailer, OutgoingMessage } from '#core/ports.ts';

/** Sends raw messages with SES `SendRawEmail` through a configuration set. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly configurationSet: string,
  ) {}

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    const command = new SendRawEmailCommand({
      RawMessage: { Data: message.raw },
      Destinations: [message.to],
      ConfigurationSetName: this.configurationSet,
      Tags: Object.entries(message.tags).map(([Name, Value]) => ({ Name, Value })),
    });
    const result = await this.client.send(command).catch((error: unknown) => {
      throw classify(error);
    });
    if (!result.MessageId) throw new Error('SES accepted the message but returned no MessageId');
    return { messageId: result.MessageId };
  }
}

/**
 * An SES error *response* means SES did not take the message: `MessageRejected` is final,
 * any other (throttling, a 5xx, a configuration error) may succeed later. Anything that is
 * not a response (a broken connection, a timeout) leaves the outcome unknown and passes on.
 */
function classify(error: unknown): unknown {
  if (!(error instanceof SESServiceException)) return error;
  const reason = `${error.name}: ${error.message}`;
  return error.name === 'MessageRejected'
    ? new MailRejectedError(reason)
    : new MailNotSentError(reason);
}
