/**
 * C0 and C1 control characters and DEL: what no header field, subject or display name may
 * hold. One definition, so that what configuration and import accept the sender accepts too.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is refused
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** True when `value` holds a control character (see {@link CONTROL_CHARACTER}). */
export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}
