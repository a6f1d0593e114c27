/**
 * The SES message tag that marks a test send (`testSendIssue`): `purpose=test`. SES copies a
 * message's tags into every event about it (`mail.tags`), which is how its events are told
 * from those of an issue's messages: they may suppress the address, never touch a ledger.
 */
export const TEST_MESSAGE_TAG = { name: 'purpose', value: 'test' } as const;

/**
 * Whether an SES event is about a test message: its `mail.tags` carry `TEST_MESSAGE_TAG`.
 * Events without tags (identity notifications) are taken for an issue's messages.
 */
export function isTestMessage(event: Record<string, unknown>): boolean {
  const mail = event.mail;
  if (typeof mail !== 'object' || mail === null) return false;
  const tags = (mail as Record<string, unknown>).tags;
  if (typeof tags !== 'object' || tags === null) return false;
  const values = (tags as Record<string, unknown>)[TEST_MESSAGE_TAG.name];
  return Array.isArray(values) && values.includes(TEST_MESSAGE_TAG.value);
}
