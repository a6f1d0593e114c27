import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compatibilityClientNames,
  defaultCompatibilityClients,
  isCompatibilityClient,
} from '#core/checks/compatibility-clients.ts';
import { parseConfig } from '#core/common/config.ts';

const committed = JSON.parse(
  readFileSync(new URL('../../../newsletter.config.json', import.meta.url), 'utf8'),
);

describe('compatibility clients', () => {
  it('accepts caniemail families and family.platform names, and nothing else', () => {
    expect(isCompatibilityClient('gmail')).toBe(true);
    expect(isCompatibilityClient('outlook.windows')).toBe(true);
    expect(isCompatibilityClient('Outlook')).toBe(false);
    expect(isCompatibilityClient('outlook.amiga')).toBe(false);
    expect(compatibilityClientNames).toEqual(
      expect.arrayContaining([...defaultCompatibilityClients]),
    );
  });
});

describe('parseConfig: compatibilityClients', () => {
  it('defaults to Gmail, Outlook for Windows, Apple Mail and Yahoo', () => {
    expect(parseConfig(committed, {}).compatibilityClients).toEqual([
      'gmail',
      'outlook.windows',
      'apple-mail',
      'yahoo',
    ]);
  });

  it('takes a list from the file, or a comma-separated one from the environment', () => {
    expect(
      parseConfig({ ...committed, compatibilityClients: ['gmail.ios'] }, {}).compatibilityClients,
    ).toEqual(['gmail.ios']);
    expect(
      parseConfig(committed, { NEWSLETTER_COMPATIBILITY_CLIENTS: 'outlook, samsung-email.android' })
        .compatibilityClients,
    ).toEqual(['outlook', 'samsung-email.android']);
  });

  it('refuses a client caniemail does not name, and an empty list', () => {
    expect(() => parseConfig({ ...committed, compatibilityClients: ['Outlook 2016'] }, {})).toThrow(
      /unknown mail client "Outlook 2016"/,
    );
    expect(() => parseConfig({ ...committed, compatibilityClients: [] }, {})).toThrow(
      /compatibilityClients/,
    );
  });
});
