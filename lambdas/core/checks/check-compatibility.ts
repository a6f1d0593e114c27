import { caniemailSupport } from './caniemail/caniemail-support.ts';
import type { CaniemailFeature, CaniemailSupport } from './caniemail/read-caniemail.ts';
import type { Check } from './check.ts';
import { shorten } from './describe-element.ts';
import { featureUses } from './feature-uses.ts';
import type { HtmlDocument } from './parse-html.ts';

/** What the compatibility check needs from the configuration. */
export interface CompatibilityOptions {
  /** Client families or `family.platform` names, as in `compatibilityClients`. */
  compatibilityClients: readonly string[];
}

/**
 * Judges the HTML by caniemail's data: for each feature the HTML uses (see `featureUses`)
 * and each configured client, the support of the newest version caniemail lists for each of
 * the client's platforms. One finding per feature and client: a `warning` when a platform
 * does not support it (`n`), else an `info` when one supports it only in part (`a`);
 * supported (`y`) and unknown (`u`) give none. `where` is the first place the feature is
 * used, with the count of the others.
 * @param support caniemail's table; default: the vendored data (see `caniemail/README.md`)
 */
export function checkCompatibility(
  document: HtmlDocument,
  options: CompatibilityOptions,
  support: CaniemailSupport = caniemailSupport,
): Check[] {
  const used = new Map<string, { where: string; count: number }>();
  for (const use of featureUses(document, support.features)) {
    const seen = used.get(use.feature);
    if (seen) seen.count++;
    else used.set(use.feature, { where: use.where, count: 1 });
  }
  const checks: Check[] = [];
  for (const [slug, { where, count }] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
    const feature = support.features[slug] as CaniemailFeature;
    const place = count > 1 ? `${where} (and ${count - 1} more)` : where;
    for (const client of options.compatibilityClients) {
      const finding = judge(feature, client, support);
      if (finding)
        checks.push({ rule: slug, ...finding, client: clientLabel(client, support), where: place });
    }
  }
  return checks;
}

function judge(
  feature: CaniemailFeature,
  client: string,
  support: CaniemailSupport,
): Pick<Check, 'severity' | 'message'> | undefined {
  const platforms = client.includes('.')
    ? [client]
    : Object.keys(feature.support).filter((name) => name.startsWith(`${client}.`));
  const lacking: string[] = [];
  const partial: string[] = [];
  const notes: string[] = [];
  for (const platform of platforms) {
    const value = feature.support[platform];
    if (value === undefined) continue;
    const level = value.charAt(0);
    if (level !== 'n' && level !== 'a') continue;
    (level === 'n' ? lacking : partial).push(platform);
    for (const [, number = ''] of value.matchAll(/#(\d+)/g)) {
      const note = feature.notes[number];
      if (note !== undefined && !notes.includes(note)) notes.push(note);
    }
  }
  const note = notes[0] === undefined ? '' : ` caniemail: ${shorten(plain(notes[0]), 200)}`;
  if (lacking.length > 0) {
    const alsoPartial =
      partial.length > 0 ? `, and only in part by ${platformsLabel(client, partial, support)}` : '';
    return {
      severity: 'warning',
      message: `${feature.title} is not supported by ${platformsLabel(client, lacking, support)}${alsoPartial}: give it a fallback or do without it.${note}`,
    };
  }
  if (partial.length > 0) {
    return {
      severity: 'info',
      message: `${feature.title} is only partly supported by ${platformsLabel(client, partial, support)}.${note}`,
    };
  }
  return undefined;
}

/** `gmail` → `Gmail`; `outlook.windows` → `Outlook (Windows)`. */
function clientLabel(client: string, support: CaniemailSupport): string {
  const [family = '', platform] = client.split('.');
  const name = support.families[family] ?? family;
  return platform === undefined ? name : `${name} (${support.platforms[platform] ?? platform})`;
}

/** The configured client, narrowed to the platforms concerned: `Gmail (iOS, Android)`. */
function platformsLabel(client: string, platforms: string[], support: CaniemailSupport): string {
  if (client.includes('.')) return clientLabel(client, support);
  const family = support.families[client] ?? client;
  const names = platforms.map((name) => {
    const platform = name.slice(name.indexOf('.') + 1);
    return support.platforms[platform] ?? platform;
  });
  return `${family} (${names.join(', ')})`;
}

/** A caniemail note as plain text: Markdown links become their text. */
function plain(note: string): string {
  return note.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
}
