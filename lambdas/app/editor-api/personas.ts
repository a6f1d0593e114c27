/** The made-up recipients a preview can be personalised for, besides real subscribers. */
export const personaNames = ['none', 'long', 'rtl'] as const;

/** One made-up recipient: `none`, `long` or `rtl`. */
export type PersonaName = (typeof personaNames)[number];

/**
 * Each persona's greeting name: none at all; a name as long as a subscriber's may be
 * (`MAX_NAME_LENGTH`, 100 characters), with a hyphenated double-barrelled surname and an
 * umlaut; a right-to-left one (Arabic). All three are made up.
 */
export const personas: Readonly<Record<PersonaName, { name: string }>> = {
  none: { name: '' },
  long: {
    name: 'Anna-Katharina Bartholomea Wilhelmina Ottilie von Schwarzenberg-Hohenlohe-Waldenburg-Schillingsfürst',
  },
  rtl: { name: 'ليلى عبد الرحمن الحداد' },
};

/** Whether `value` names a persona. */
export function isPersonaName(value: string): value is PersonaName {
  return (personaNames as readonly string[]).includes(value);
}
