/** One feature as the compatibility check reads it: its title and each client's current support. */
export interface CaniemailFeature {
  /** caniemail's title, e.g. `display:flex` or `<body> element`. */
  title: string;
  /**
   * `family.platform` (e.g. `outlook.windows`) → the support of the newest version caniemail
   * lists for that client, as caniemail writes it: `y`, `n`, `a` (partial) or `u` (unknown),
   * then the numbers of its notes, e.g. `a #1 #2`.
   */
  support: Record<string, string>;
  /** The notes that those support values refer to, by number. */
  notes: Record<string, string>;
}

/** The part of caniemail's data that the compatibility check needs. */
export interface CaniemailSupport {
  /** When caniemail last updated the data (its `last_update_date`). */
  lastUpdate: string;
  /** Display names of client families, e.g. `gmail` → `Gmail`. */
  families: Record<string, string>;
  /** Display names of platforms, e.g. `windows` → `Windows`. */
  platforms: Record<string, string>;
  /** Features by caniemail's slug, e.g. `css-display-flex`. */
  features: Record<string, CaniemailFeature>;
}

interface RawFeature {
  slug: string;
  title: string;
  stats?: Record<string, Record<string, Record<string, string>>>;
  notes_by_num?: Record<string, string> | null;
}

interface RawData {
  last_update_date: string;
  nicenames: { family: Record<string, string>; platform: Record<string, string> };
  data: RawFeature[];
}

/**
 * Reads caniemail's `data.json` (the text of the file) into the support table the
 * compatibility check uses: for each feature and client, the support of the newest version
 * listed. caniemail lists versions oldest first, and the newest is the last one in the file;
 * but `JSON.parse` moves keys that look like integers (`"2019"`, `"13"`) ahead of the others,
 * so each all-digit key is marked before parsing to keep the file's order.
 * @throws SyntaxError when the text is not JSON
 */
export function readCaniemail(json: string): CaniemailSupport {
  const raw = JSON.parse(json.replace(/(?<!\\)"(\d+)"(?=\s*:)/g, '"#$1"')) as RawData;
  const features: Record<string, CaniemailFeature> = {};
  for (const feature of raw.data) {
    const allNotes = unmark(feature.notes_by_num ?? {});
    const support: Record<string, string> = {};
    const notes: Record<string, string> = {};
    for (const [family, platforms] of Object.entries(feature.stats ?? {})) {
      for (const [platform, versions] of Object.entries(platforms)) {
        const newest = Object.values(versions).at(-1);
        if (newest === undefined) continue;
        support[`${family}.${platform}`] = newest;
        for (const [, number = ''] of newest.matchAll(/#(\d+)/g)) {
          const note = allNotes[number];
          if (note !== undefined) notes[number] = note;
        }
      }
    }
    features[feature.slug] = { title: feature.title, support, notes };
  }
  return {
    lastUpdate: raw.last_update_date,
    families: raw.nicenames.family,
    platforms: raw.nicenames.platform,
    features,
  };
}

/** Every `family.platform` client that `support` lists for at least one feature, sorted. */
export function caniemailClientsOf(support: CaniemailSupport): string[] {
  const clients = new Set<string>();
  for (const feature of Object.values(support.features)) {
    for (const client of Object.keys(feature.support)) clients.add(client);
  }
  return [...clients].sort();
}

function unmark(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key.replace(/^#/, ''), value]),
  );
}
