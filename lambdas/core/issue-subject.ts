import Handlebars from 'handlebars';

/** The longest subject line, in characters (RFC 5322 recommends 78 per header line). */
export const MAX_SUBJECT_LENGTH = 78;

/**
 * The subject of an issue from the configured Handlebars template over
 * `{ listName, headline }`: whitespace and control characters collapsed to single spaces,
 * cut on a word boundary to at most 78 characters (an ellipsis marks the cut).
 */
export function issueSubject(template: string, data: { listName: string; headline: string }) {
  const filled = Handlebars.compile(template, { noEscape: true, strict: true })(data);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a subject is one header line
  const subject = filled.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  const characters = [...subject];
  if (characters.length <= MAX_SUBJECT_LENGTH) return subject;
  const room = characters.slice(0, MAX_SUBJECT_LENGTH - 1).join('');
  const lastSpace = room.lastIndexOf(' ');
  return `${(lastSpace > 0 ? room.slice(0, lastSpace) : room).replace(/[\s,;:.-]+$/, '')}…`;
}
