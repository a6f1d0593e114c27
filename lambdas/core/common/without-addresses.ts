/**
 * `text` with anything that looks like an email address replaced by `[address]`, at most 500
 * characters: for error texts that reach a log or the send ledger, which keep no address.
 */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, '[address]').slice(0, 500);
}
