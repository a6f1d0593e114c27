import { describe, expect, it } from 'vitest';
import { checkSize } from '#core/checks/check-size.ts';
import { gmailClipBytes, htmlSize } from '#core/checks/html-size.ts';

const budget = 30_000;
/** HTML of exactly `bytes` bytes in UTF-8. */
const htmlOf = (bytes: number) => `<p>${'x'.repeat(bytes - 7)}</p>`;

describe('htmlSize', () => {
  it('counts UTF-8 bytes, not characters, and gives the budget and Gmail clip beside them', () => {
    expect(htmlSize('<p>é🌻</p>', budget)).toEqual({
      bytes: 7 + 2 + 4,
      budget,
      gmailClip: 102_400,
    });
  });
});

describe('checkSize', () => {
  it('gives the size as an info within the budget', () => {
    const check = checkSize(htmlOf(12_345), { htmlBudgetBytes: budget });

    expect(check).toMatchObject({ rule: 'size', severity: 'info' });
    expect(check.message).toContain('12,345 bytes');
    expect(check.message).toContain('30,000 bytes');
  });

  it('warns about an issue over its budget, with both figures', () => {
    const check = checkSize(htmlOf(30_001), { htmlBudgetBytes: budget });

    expect(check).toMatchObject({ rule: 'size', severity: 'warning' });
    expect(check.message).toContain('30,001 bytes');
    expect(check.message).toContain('budget of 30,000 bytes');
  });

  it('takes an issue exactly at its budget as within it', () => {
    expect(checkSize(htmlOf(budget), { htmlBudgetBytes: budget }).severity).toBe('info');
  });

  it("is an error over Gmail's clip, with both figures", () => {
    const check = checkSize(htmlOf(gmailClipBytes + 1), { htmlBudgetBytes: 92_160 });

    expect(check).toMatchObject({ rule: 'size', severity: 'error' });
    expect(check.message).toContain('102,401 bytes');
    expect(check.message).toContain("Gmail's clip at 102,400 bytes");
  });
});
