import { type SESClient, SESServiceException, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { MailNotSentError, MailRejectedError } from '#core/sending/mail-errors.ts';
import type { Mailer, OutgoingMessage } from '#core/sending/ports.ts';

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
 * any other (throttling, a 5xx, a configuration error) may succeed later. So does a call that
 * never reached SES (the connection was refused or never established). Anything else (a
 * connection broken after the request left, a timeout waiting for the answer) leaves the
 * outcome unknown and passes on unchanged.
 */
function classify(error: unknown): unknown {
  if (error instanceof SESServiceException) {
    const reason = `${error.name}: ${error.message}`;
    return error.name === 'MessageRejected'
      ? new MailRejectedError(reason)
      : new MailNotSentError(reason);
  }
  if (neverConnected(error))
    return new MailNotSentError(`SES unreachable: ${(error as Error).message}`);
  return error;
}

const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function neverConnected(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && NOT_CONNECTED.has(code)) return true;
  // The SDK's connection timeout: the socket never connected, so no request left.
  return error.name === 'TimeoutError' && /did not establish a connection/.test(error.message);
}
