import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caniemailClients } from '#core/checks/caniemail/caniemail-clients.ts';
import { caniemailSupport } from '#core/checks/caniemail/caniemail-support.ts';
import { caniemailClientsOf, readCaniemail } from '#core/checks/caniemail/read-caniemail.ts';

const data = readFileSync(
  new URL('../../../lambdas/core/checks/caniemail/data.json', import.meta.url),
  'utf8',
);
const readme = readFileSync(
  new URL('../../../lambdas/core/checks/caniemail/README.md', import.meta.url),
  'utf8',
);

describe('the vendored caniemail tables', () => {
  it('are what cli/update-caniemail.ts makes of data.json (run it after replacing the data)', () => {
    const support = readCaniemail(data);

    expect(caniemailSupport).toEqual(support);
    expect([...caniemailClients]).toEqual(caniemailClientsOf(support));
  });

  it("carry the data's date, which the README states", () => {
    expect(readme).toContain(caniemailSupport.lastUpdate);
  });

  it('hold the features and clients the default configuration relies on', () => {
    expect(caniemailSupport.features['css-display-flex']?.title).toBe('display:flex');
    expect(caniemailClients).toEqual(
      expect.arrayContaining(['gmail.ios', 'outlook.windows', 'apple-mail.macos', 'yahoo.ios']),
    );
  });
});

describe('readCaniemail', () => {
  const sample = (stats: string) => `{
    "last_update_date": "2026-01-01 00:00:00 +0000",
    "nicenames": { "family": { "outlook": "Outlook" }, "platform": { "windows": "Windows" } },
    "data": [{
      "slug": "css-example", "title": "example",
      "stats": { "outlook": { "windows": ${stats} } },
      "notes_by_num": { "1": "First note.", "2": "Second note." }
    }]
  }`;

  it("takes the newest version as the last in the file, even when it is not a number's order", () => {
    const support = readCaniemail(sample('{ "2019-02": "y", "13": "n", "2007": "a #2" }'));

    expect(support.features['css-example']?.support).toEqual({ 'outlook.windows': 'a #2' });
  });

  it('keeps only the notes the newest versions refer to', () => {
    const support = readCaniemail(sample('{ "2013": "n #1", "2019": "a #2" }'));

    expect(support.features['css-example']?.notes).toEqual({ 2: 'Second note.' });
  });

  it('lists the clients by family and platform', () => {
    const support = readCaniemail(sample('{ "2019": "y" }'));

    expect(caniemailClientsOf(support)).toEqual(['outlook.windows']);
    expect(support.families).toEqual({ outlook: 'Outlook' });
  });
});
