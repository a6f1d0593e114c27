import { caniemailClients } from './caniemail/caniemail-clients.ts';

/**
 * The mail clients the compatibility check can judge, as caniemail names them: a family
 * (`gmail`, `outlook`, `apple-mail`…: every platform of it that caniemail lists) or one
 * platform of a family (`outlook.windows`, `gmail.ios`…).
 */
export const compatibilityClientNames: readonly string[] = [
  ...new Set(caniemailClients.map((client) => client.slice(0, client.indexOf('.')))),
  ...caniemailClients,
].sort();

/** The clients checked when the configuration names none: Gmail, Outlook for Windows, Apple Mail, Yahoo. */
export const defaultCompatibilityClients: readonly string[] = [
  'gmail',
  'outlook.windows',
  'apple-mail',
  'yahoo',
];

/** True when `name` is a family or a `family.platform` that caniemail's data lists. */
export function isCompatibilityClient(name: string): boolean {
  return compatibilityClientNames.includes(name);
}
