import { describe, expect, it } from 'vitest';
import { issueSubject, MAX_SUBJECT_LENGTH } from '#core/issue-subject.ts';

describe('issueSubject', () => {
  it('fills the template with the top headline and the list name', () => {
    expect(
      issueSubject('{{listName}}: {{headline}}', { listName: 'Weekly', headline: 'A & B' }),
    ).toBe('Weekly: A & B');
  });

  it('cuts a long subject on a word boundary to at most 78 characters', () => {
    const headline = 'word '.repeat(40);

    const subject = issueSubject('{{headline}}', { listName: 'L', headline });

    expect([...subject].length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^(word )*word…$/);
  });

  it('turns line breaks and control characters into single spaces', () => {
    expect(issueSubject('{{headline}}', { listName: 'L', headline: 'One\r\nBcc: two\u0007' })).toBe(
      'One Bcc: two',
    );
  });
});
