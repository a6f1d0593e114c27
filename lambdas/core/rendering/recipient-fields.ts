/**
 * The per-recipient fields a digest may contain. The set is fixed and small: every other
 * value is rendered once per issue.
 */
export const recipientFields = ['unsubscribeUrl', 'name'] as const;

/** One per-recipient field. */
export type RecipientField = (typeof recipientFields)[number];

/** True when `value` names a per-recipient field. */
export function isRecipientField(value: unknown): value is RecipientField {
  return (recipientFields as readonly unknown[]).includes(value);
}
