import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHash } from '#core/rendering/render-hash.ts';
import { type RenderedIssue, renderIssue } from '#core/rendering/render-issue.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { sampleView } from '../../fixtures/render/sample-issue.ts';

let rendered: RenderedIssue;
beforeAll(async () => {
  rendered = await renderIssue(
    { ...sampleView(), intro: 'Ahoy — a note with “quotes” and 🌻.' },
    await loadTemplates(),
  );
});

/** The hash as the format defines it, computed here without the module. */
function expectedHash(parts: readonly string[]): string {
  const bytes = Buffer.concat(parts.flatMap((part) => [Buffer.from(part, 'utf8'), Buffer.of(0)]));
  return createHash('sha256').update(bytes).digest('hex');
}

describe('renderHash', () => {
  it('is the SHA-256 of subject, preheader, HTML and text, each ended by a zero byte', () => {
    const { subject, preheader, html, text } = rendered;

    expect(renderHash(rendered)).toBe(expectedHash([subject, preheader, html, text]));
    expect(renderHash(rendered)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches values computed with sha256sum over the bytes the format describes', () => {
    // printf 'S\0P\0<p>\xc3\xa9</p>\0\xc3\xa9\n\0' | sha256sum
    const small = { subject: 'S', preheader: 'P', html: '<p>é</p>', text: 'é\n' };
    // printf '\0\0\0\0' | sha256sum
    const empty = { subject: '', preheader: '', html: '', text: '' };

    expect(renderHash(small)).toBe(
      'ab43ba8548934395ce387b504d2db9b702a182cc20b62630620eb3be5ac71f6b',
    );
    expect(renderHash(empty)).toBe(
      'df3f619804a92fdb4057192dc43dd748ea778adc52bc498ce80524c014b81119',
    );
  });

  it.each(['subject', 'preheader', 'html', 'text'] as const)(
    'changes when only the %s changes',
    (part) => {
      const changed = { ...rendered, [part]: `${rendered[part]}.` };

      expect(renderHash(changed)).not.toBe(renderHash(rendered));
    },
  );

  it('tells apart text moved from one part to the next', () => {
    const before = { subject: 'ab', preheader: 'c', html: '', text: '' };
    const after = { subject: 'a', preheader: 'bc', html: '', text: '' };

    expect(renderHash(after)).not.toBe(renderHash(before));
  });
});
