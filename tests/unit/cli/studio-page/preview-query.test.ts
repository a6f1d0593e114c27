import { describe, expect, it } from 'vitest';
import { previewPath } from '#cli/studio/page/preview-query.ts';

describe('previewPath', () => {
  it('asks for the next issue at a time, for a persona', () => {
    expect(previewPath({ at: '2027-04-06T09:00', as: 'persona:rtl' })).toBe(
      '/api/preview?at=2027-04-06T09%3A00&as=persona%3Artl',
    );
  });

  it('asks for a stored issue without the time, which the API refuses beside it', () => {
    expect(
      previewPath({ issueId: '01KABCDEFGHJKMNPQRSTVWXYZ0', at: '2027-04-06T09:00', as: 'public' }),
    ).toBe('/api/preview?issue=01KABCDEFGHJKMNPQRSTVWXYZ0&as=public');
  });

  it('asks for a subscriber’s copy of the subscriber’s own route, with no `as`', () => {
    expect(
      previewPath({
        issueId: '01KABCDEFGHJKMNPQRSTVWXYZ0',
        as: 'subscriber:01JSUB00000000000000000001',
      }),
    ).toBe('/api/subscribers/01JSUB00000000000000000001/preview?issue=01KABCDEFGHJKMNPQRSTVWXYZ0');
    expect(previewPath({ as: 'subscriber:01JSUB00000000000000000001' })).toBe(
      '/api/subscribers/01JSUB00000000000000000001/preview',
    );
  });
});
