import { describe, expect, it } from 'vitest';
import type { RenderedIssueStore } from '#core/issues/ports.ts';
import { renderHash } from '#core/rendering/render-hash.ts';
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

const ISSUE = '01JRENDER00000000000000001';
const OTHER_ISSUE = '01JRENDER00000000000000002';

/** What every `RenderedIssueStore` promises; `makeSubject` gives an empty store each time. */
export function describeRenderedIssueStoreContract(
  name: string,
  makeSubject: () => RenderedIssueStore | Promise<RenderedIssueStore>,
) {
  describe(`${name} keeps the RenderedIssueStore contract`, () => {
    it('gives back a render under its hash, and nothing under another hash or for another issue', async () => {
      const store = await makeSubject();
      const render = rendered(ISSUE);
      const hash = renderHash(render);

      await store.put(render, hash);

      expect(await store.get(ISSUE, hash)).toEqual(render);
      expect(await store.get(ISSUE, renderHash(rendered(ISSUE, 'Another render')))).toBeUndefined();
      // The same content rendered for another issue hashes the same: the issue tells them apart.
      expect(await store.get(OTHER_ISSUE, hash)).toBeUndefined();
    });

    it('keeps two renders of one issue side by side under their hashes, each put again unchanged', async () => {
      const store = await makeSubject();
      const ann = rendered(ISSUE, 'By Ann');
      const bo = rendered(ISSUE, 'By Bo');
      const other = rendered(OTHER_ISSUE, 'By Ann');

      await store.put(ann, renderHash(ann));
      await store.put(bo, renderHash(bo));
      await store.put(other, renderHash(other));
      await store.put(ann, renderHash(ann));

      expect(renderHash(ann)).not.toBe(renderHash(bo));
      expect(await store.get(ISSUE, renderHash(ann))).toEqual(rendered(ISSUE, 'By Ann'));
      expect(await store.get(ISSUE, renderHash(bo))).toEqual(rendered(ISSUE, 'By Bo'));
      expect(await store.get(OTHER_ISSUE, renderHash(other))).toEqual(
        rendered(OTHER_ISSUE, 'By Ann'),
      );
    });

    it('hands out copies: changing what it returned or was given changes nothing stored', async () => {
      const store = await makeSubject();
      const given = rendered(ISSUE);
      const hash = renderHash(given);
      await store.put(given, hash);

      given.subject = 'Changed by the caller';
      given.markers.name = 'changed by the caller';
      const got = await store.get(ISSUE, hash);
      expect(got).toEqual(rendered(ISSUE));
      (got as RenderedIssue).markers.name = 'changed by the reader';
      (got as RenderedIssue).html = '<p>changed by the reader</p>';

      expect(await store.get(ISSUE, hash)).toEqual(rendered(ISSUE));
    });
  });
}
