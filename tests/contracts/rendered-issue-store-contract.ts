import { describe, expect, it } from 'vitest';
import type { RenderedIssueStore } from '#core/issues/ports.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';

function rendered(issueId: string, subject = 'Café at the harbour'): RenderedIssue {
  return {
    issueId,
    subject,
    preheader: 'Singing on the morning ferry',
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
    it('gives back a render as it was put, and nothing for an issue or version without one', async () => {
      const store = await makeSubject();
      const render = rendered('01JRENDER00000000000000001');

      await store.put(render, 1);

      expect(await store.get(render.issueId, 1)).toEqual(render);
      expect(await store.get(render.issueId, 2)).toBeUndefined();
      expect(await store.get('01JMISSING0000000000000000', 1)).toBeUndefined();
    });

    it('keeps each version apart, and replaces one put again under the same version', async () => {
      const store = await makeSubject();
      const issueId = '01JRENDER00000000000000001';
      await store.put(rendered(issueId, 'First'), 1);
      await store.put(rendered(issueId, 'Second'), 2);
      await store.put(rendered('01JRENDER00000000000000002', 'Other'), 1);

      await store.put(rendered(issueId, 'Second, corrected'), 2);

      expect(await store.get(issueId, 1)).toEqual(rendered(issueId, 'First'));
      expect(await store.get(issueId, 2)).toEqual(rendered(issueId, 'Second, corrected'));
      expect(await store.get('01JRENDER00000000000000002', 1)).toEqual(
        rendered('01JRENDER00000000000000002', 'Other'),
      );
    });

    it('hands out copies: changing what it returned or was given changes nothing stored', async () => {
      const store = await makeSubject();
      const given = rendered('01JRENDER00000000000000001');
      await store.put(given, 1);

      given.subject = 'Changed by the caller';
      const got = await store.get(given.issueId, 1);
      if (got) got.markers.name = 'changed';

      expect(await store.get(given.issueId, 1)).toEqual(rendered('01JRENDER00000000000000001'));
    });
  });
}
