import { describe, expect, it } from 'vitest';
import type { RenderedIssueStore } from '#core/issues/ports.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';

function rendered(issueId: string, subject = 'Café at the harbour'): RenderedIssue {
  return {
    issueId,
    subject,
    html: '<p>Hello nlm_name_0123456789abcdef</p>',
    text: 'Hello nlm_name_0123456789abcdef',
    markers: {
      name: 'nlm_name_0123456789abcdef',
      unsubscribeUrl: 'nlm_unsubscribeUrl_0123456789abcdef',
    },
  };
}

/** What every `RenderedIssueStore` promises; `makeSubject` gives an empty store each time. */
export function describeRenderedIssueStoreContract(
  name: string,
  makeSubject: () => RenderedIssueStore | Promise<RenderedIssueStore>,
) {
  describe(`${name} keeps the RenderedIssueStore contract`, () => {
    it('gives back a render as it was put, and nothing for an issue without one', async () => {
      const store = await makeSubject();
      const render = rendered('01JRENDER00000000000000001');

      await store.put(render);

      expect(await store.get(render.issueId)).toEqual(render);
      expect(await store.get('01JMISSING0000000000000000')).toBeUndefined();
    });

    it('replaces a render put again under the same issue', async () => {
      const store = await makeSubject();
      await store.put(rendered('01JRENDER00000000000000001'));
      await store.put(rendered('01JRENDER00000000000000002', 'Other'));

      await store.put(rendered('01JRENDER00000000000000001', 'Corrected'));

      expect(await store.get('01JRENDER00000000000000001')).toEqual(
        rendered('01JRENDER00000000000000001', 'Corrected'),
      );
      expect(await store.get('01JRENDER00000000000000002')).toEqual(
        rendered('01JRENDER00000000000000002', 'Other'),
      );
    });

    it('hands out copies: changing what it returned or was given changes nothing stored', async () => {
      const store = await makeSubject();
      const given = rendered('01JRENDER00000000000000001');
      await store.put(given);

      given.subject = 'Changed by the caller';
      const got = await store.get(given.issueId);
      if (got) got.markers.name = 'changed';

      expect(await store.get(given.issueId)).toEqual(rendered('01JRENDER00000000000000001'));
    });
  });
}
