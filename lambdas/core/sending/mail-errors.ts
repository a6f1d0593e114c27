/** The mail service refused this message for good (SES `MessageRejected`): do not retry. */
export class MailRejectedError extends Error {
  override name = 'MailRejectedError';
}

/**
 * The mail service answered with an error (throttling, a 5xx): nothing was sent, so the
 * message may be sent again later.
 */
export class MailNotSentError extends Error {
  override name = 'MailNotSentError';
}
