import { describe, expect, it } from 'vitest';
import {
  issueSubject,
  MAX_SUBJECT_LENGTH,
  SubjectTemplateError,
} from '#core/issues/issue-subject.ts';

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

  it('turns C1 control characters into spaces, so that the sender accepts the subject', () => {
    // Regression: a headline holding U+0085 gave a subject that buildMimeTemplate refused,
    // after the issue was recorded, so that every page of the issue failed.
    expect(issueSubject('{{headline}}', { listName: 'L', headline: 'One\u0085two\u009f' })).toBe(
      'One two',
    );
  });

  it('keeps a last word that ends exactly at the limit', () => {
    const headline = `${'abcdefghi '.repeat(7)}abcdefg and more`;

    const subject = issueSubject('{{headline}}', { listName: 'L', headline });

    expect(subject).toBe(`${'abcdefghi '.repeat(7)}abcdefg…`);
    expect([...subject]).toHaveLength(MAX_SUBJECT_LENGTH);
  });

  it('prints braces in a headline as they stand', () => {
    expect(
      issueSubject('{{headline}}', { listName: 'L', headline: 'Why {{recipient.email}} trends' }),
    ).toBe('Why {{recipient.email}} trends');
  });

  it('names the configuration key when the template asks for an unknown field', () => {
    expect(() => issueSubject('{{title}}', { listName: 'L', headline: 'H' })).toThrow(
      SubjectTemplateError,
    );
    expect(() => issueSubject('{{title}}', { listName: 'L', headline: 'H' })).toThrow(
      /^subjectTemplate: /,
    );
  });
});
