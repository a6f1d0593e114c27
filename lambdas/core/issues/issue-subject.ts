import Handlebars from 'handlebars';
import { CONTROL_CHARACTER } from '../common/control-characters.ts';
import { cutText } from '../common/cut-text.ts';

const WHITESPACE_OR_CONTROL = new RegExp(`(?:\\s|${CONTROL_CHARACTER.source})+`, 'g');

/** The longest subject line, in characters (RFC 5322 recommends 78 per header line). */
export const MAX_SUBJECT_LENGTH = 78;

/** The configured subject template cannot be used; names the key to fix. */
export class SubjectTemplateError extends Error {
  override name = 'SubjectTemplateError';
}

/**
 * The subject of an issue from the configured Handlebars template over
 * `{ listName, headline }`: whitespace and control characters collapsed to single spaces,
 * cut on a word boundary to at most 78 characters (an ellipsis marks the cut). The values are
 * data: braces in a headline are printed as they stand.
 * @throws SubjectTemplateError when the template is not valid Handlebars or names another field
 */
export function issueSubject(template: string, data: { listName: string; headline: string }) {
  let filled: string;
  try {
    filled = Handlebars.compile(template, { noEscape: true, strict: true })(data);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new SubjectTemplateError(
      `subjectTemplate: ${detail} (the template sees {{listName}} and {{headline}})`,
      { cause: error },
    );
  }
  // A subject is one header line, and the sender refuses one with a control character.
  const subject = filled.replace(WHITESPACE_OR_CONTROL, ' ').trim();
  return cutText(subject, MAX_SUBJECT_LENGTH);
}
